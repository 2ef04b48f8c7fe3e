package org.myelin.clientapi.push.notify;

import java.util.List;
import java.util.Map;

import org.myelin.db.push.PushEvaluationRepository.Member;
import org.myelin.federation.protocol.auth.PowerLevels;

/**
 * What evaluating an event needs to know about its room, read once per room and kept until a state event of the
 * room is evaluated.
 *
 * @param localMembers       the joined members of this server, with their display names
 * @param joinedCount        all joined members
 * @param powerLevels        the current power levels (defaults when there are none)
 * @param notificationLevels {@code notifications} of the power levels
 */
record RoomFacts(List<Member> localMembers, long joinedCount, PowerLevels powerLevels,
        Map<String, Long> notificationLevels) {
}
