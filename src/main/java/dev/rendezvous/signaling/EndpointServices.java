package dev.rendezvous.signaling;

import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;

/**
 * The application's beans every connection's {@link SignalingEndpoint} works with, looked up once.
 * {@link EndpointFactory} hands this one object to each endpoint it makes, so a join costs no CDI
 * injection of its own: Payara's WebSocket container (Tyrus) otherwise builds an injection target,
 * reflection and all, for every connection, which made each join slower and each socket heavier.
 * The beans are the instances themselves, not their client proxies ({@link ContextualInstances}):
 * the endpoint calls some of them for every message.
 */
@Dependent
public class EndpointServices {

    final Admission admission;
    final Membership membership;
    final ConnectionRegistry connections;
    final SignalingConfig config;
    final SignalingEvents events;
    final ViolationLog violations;

    @Inject
    EndpointServices(BeanManager beans) {
        admission = ContextualInstances.of(beans, Admission.class);
        membership = ContextualInstances.of(beans, Membership.class);
        connections = ContextualInstances.of(beans, ConnectionRegistry.class);
        config = ContextualInstances.of(beans, SignalingConfig.class);
        events = ContextualInstances.of(beans, SignalingEvents.class);
        violations = ContextualInstances.of(beans, ViolationLog.class);
    }
}
