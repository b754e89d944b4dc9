package dev.palco.sfu.transport;

import java.io.IOException;
import java.util.List;
import org.ice4j.TransportAddress;
import org.ice4j.ice.harvest.TcpHarvester;

/**
 * ice4j's passive ICE-TCP harvester, bound to exactly the configured addresses.
 *
 * <p>{@code AbstractTcpListener.addLocalAddresses} silently drops addresses that
 * {@code HostCandidateHarvester.isAddressAllowed} rejects, loopback among them, which would leave a
 * loopback-only server with no TCP candidate. The addresses here come from {@link IceConfig}, which is
 * explicit about what to bind, so they are taken as given. The hook runs from the superclass
 * constructor, before {@code init()} binds the listening sockets.
 */
final class ConfiguredAddressTcpHarvester extends TcpHarvester {
    ConfiguredAddressTcpHarvester(List<TransportAddress> addresses) throws IOException {
        super(addresses, false);
    }

    @Override
    protected void addLocalAddresses(List<TransportAddress> addresses) {
        localAddresses.addAll(addresses);
    }
}
