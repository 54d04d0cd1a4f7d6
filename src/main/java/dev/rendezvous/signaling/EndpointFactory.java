package dev.rendezvous.signaling;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Makes each connection's {@link SignalingEndpoint} with plain {@code new}, passing it the
 * {@link EndpointServices} looked up once per deployment, instead of letting the container inject
 * every instance. The container's defaults still decide everything else of the handshake (origin,
 * subprotocols, extensions), on Payara and on WildFly alike.
 *
 * <p>It makes none for a connection whose endpoint is already gone. Tyrus (Payara) looks up the
 * connection's endpoint for every frame it delivers ({@code AnnotatedEndpoint.callMethod} →
 * {@code ComponentProviderService.getInstance}); a frame delivered while another thread closes
 * the connection (a kick, a resume elsewhere, a slow reader given up on) can look it up just
 * after the close forgot it ({@code removeSession}), and then Tyrus asks for a new endpoint and
 * keeps it, with the whole session behind it, for as long as the application runs. An endpoint
 * is only ever made legitimately when a connection opens, never while a connection's input is
 * being delivered ({@link UpgradeThread#reading()}), so there the factory refuses: Tyrus then
 * drops the frame (it tries to close the session, which is closed already).
 */
public class EndpointFactory extends ServerEndpointConfig.Configurator {

    /** Looked up on the first connection; the container makes one configurator per deployment. */
    private volatile EndpointServices services;

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
        if (UpgradeThread.reading()) {
            throw new InstantiationException("No endpoint for a frame of a connection that has closed");
        }
        if (endpointClass != SignalingEndpoint.class) {
            return super.getEndpointInstance(endpointClass);
        }
        EndpointServices known = services;
        if (known == null) {
            known = CDI.current().select(EndpointServices.class).get();
            services = known;
        }
        return endpointClass.cast(new SignalingEndpoint(known));
    }
}
