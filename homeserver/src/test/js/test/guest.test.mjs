// Guest access as matrix-js-sdk uses it: client.registerGuest() gets a guest account without
// UIA; the guest joins and reads a room whose m.room.guest_access is can_join, reads a
// world_readable room without joining it (peeking through /messages), and is refused
// (403 M_GUEST_ACCESS_FORBIDDEN) a room without guest access and endpoints guests may not use.
// The suite's server runs with MYELIN_GUEST_ACCESS=true (lib/server.mjs).

import assert from "node:assert/strict";
import { Direction, Preset } from "matrix-js-sdk";
import { expectMatrixError, useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

/** A room of `owner` with the given guest access and history visibility. */
async function room(owner, guestAccess, historyVisibility = "shared") {
    const { room_id: roomId } = await owner.client.createRoom({
        preset: Preset.PublicChat,
        name: `guest ${guestAccess}`,
        initial_state: [
            { type: "m.room.guest_access", state_key: "", content: { guest_access: guestAccess } },
            { type: "m.room.history_visibility", state_key: "", content: { history_visibility: historyVisibility } },
        ],
    });
    return roomId;
}

/** A new guest and a matrix-js-sdk client logged in as it. */
async function guest(ctx) {
    const registered = await ctx.client().registerGuest({ body: { initial_device_display_name: "interop guest" } });
    assert.equal(typeof registered.access_token, "string", "registerGuest returns an access token");
    const client = ctx.client({
        userId: registered.user_id,
        deviceId: registered.device_id,
        accessToken: registered.access_token,
    });
    client.setGuest(true);
    return { userId: registered.user_id, client };
}

function bodies(page) {
    return page.chunk.filter((e) => e.type === "m.room.message").map((e) => e.content.body);
}

hs.scenario("a guest joins and reads a room with guest_access can_join", async (ctx) => {
    const owner = await ctx.registerUser("guestowner");
    const roomId = await room(owner, "can_join");
    await owner.client.sendTextMessage(roomId, "welcome, guests");

    const visitor = await guest(ctx);
    const me = await visitor.client.whoami();
    assert.equal(me.user_id, visitor.userId);
    assert.equal(me.is_guest, true, "whoami says is_guest");

    await visitor.client.joinRoom(roomId);
    await visitor.client.sendTextMessage(roomId, "hello from a guest");
    const page = await visitor.client.createMessagesRequest(roomId, null, 20, Direction.Backward);
    assert.deepEqual(bodies(page).reverse(), ["welcome, guests", "hello from a guest"]);

    const members = await owner.client.members(roomId);
    const guestMember = members.chunk.find((e) => e.state_key === visitor.userId);
    assert.equal(guestMember?.content.membership, "join", "the owner sees the guest joined");
});

hs.scenario("a guest is refused a room without guest access and endpoints guests may not use", async (ctx) => {
    const owner = await ctx.registerUser("guestowner2");
    const roomId = await room(owner, "forbidden");
    await owner.client.sendTextMessage(roomId, "members only");

    const visitor = await guest(ctx);
    await expectMatrixError(visitor.client.joinRoom(roomId), 403, "M_GUEST_ACCESS_FORBIDDEN");
    await expectMatrixError(
        visitor.client.createMessagesRequest(roomId, null, 20, Direction.Backward),
        403,
        "M_FORBIDDEN",
    );
    await expectMatrixError(visitor.client.createRoom({ name: "guest room" }), 403, "M_GUEST_ACCESS_FORBIDDEN");
});

hs.scenario("a guest peeks at a world_readable room without joining it", async (ctx) => {
    const owner = await ctx.registerUser("guestowner3");
    const roomId = await room(owner, "forbidden", "world_readable");
    await owner.client.sendTextMessage(roomId, "anyone may read this");

    const visitor = await guest(ctx);
    const page = await visitor.client.createMessagesRequest(roomId, null, 20, Direction.Backward);
    assert.deepEqual(bodies(page), ["anyone may read this"]);
    await expectMatrixError(visitor.client.joinRoom(roomId), 403, "M_GUEST_ACCESS_FORBIDDEN");
});
