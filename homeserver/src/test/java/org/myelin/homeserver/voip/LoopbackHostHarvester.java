package org.myelin.homeserver.voip;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;

import org.ice4j.Transport;
import org.ice4j.ice.Component;
import org.ice4j.ice.HostCandidate;
import org.ice4j.ice.LocalCandidate;
import org.ice4j.ice.harvest.CandidateHarvester;
import org.ice4j.ice.harvest.HarvestStatistics;
import org.ice4j.socket.IceUdpSocketWrapper;
import org.ice4j.socket.MultiplexingDatagramSocket;

/**
 * A host harvester on one loopback address. ice4j's own {@code HostCandidateHarvester} never uses loopback
 * interfaces, so an agent that must stay on the loopback (and reach a TURN server there) needs this one; register it
 * with {@code agent.addCandidateHarvester} after {@code agent.setUseDynamicPorts(false)}. The socket must be a
 * {@link MultiplexingDatagramSocket}: ICE checks, the TURN client and application data share it.
 */
final class LoopbackHostHarvester implements CandidateHarvester {

    private final InetAddress address;
    private final HarvestStatistics statistics = new HarvestStatistics();

    LoopbackHostHarvester(InetAddress address) {
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("not a loopback address: " + address);
        }
        this.address = address;
    }

    @Override
    public Collection<LocalCandidate> harvest(Component component) {
        try {
            MultiplexingDatagramSocket socket = new MultiplexingDatagramSocket(0, address);
            HostCandidate candidate = new HostCandidate(new IceUdpSocketWrapper(socket), component, Transport.UDP);
            component.addLocalCandidate(candidate);
            candidate.getStunStack().addSocket(candidate.getStunSocket(null));
            component.getComponentSocket().add(candidate.getCandidateIceSocketWrapper());
            return List.of(candidate);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public HarvestStatistics getHarvestStatistics() {
        return statistics;
    }

    @Override
    public boolean isHostHarvester() {
        return true;
    }
}
