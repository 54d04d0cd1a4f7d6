package dev.rendezvous.signaling;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Makes each connection's {@link SignalingEndpoint} with plain {@code new}, passing it the
 * {@link EndpointServices} looked up once per deployment, instead of letting the container inject
 * every instance. The container's defaults still decide everything else of the handshake (origin,
 * subprotocols, extensions), on Payara and on WildFly alike.
 */
public class EndpointFactory extends ServerEndpointConfig.Configurator {

    /** Looked up on the first connection; the container makes one configurator per deployment. */
    private volatile EndpointServices services;

    @Override
    public <T> T getEndpointInstance(Class<T> endpointClass) throws InstantiationException {
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
