package dev.rendezvous.signaling;

import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;

/**
 * The application's beans every connection's {@link SignalingEndpoint} works with, injected once.
 * {@link EndpointFactory} hands this one object to each endpoint it makes, so a join costs no CDI
 * injection of its own: Payara's WebSocket container (Tyrus) otherwise builds an injection target,
 * reflection and all, for every connection, which made each join slower and each socket heavier.
 * Dependent, not application-scoped: the endpoint reads its fields, which a client proxy would not
 * have (one instance per deployment, as the factory looks it up once).
 */
@Dependent
public class EndpointServices {

    @Inject Admission admission;
    @Inject Membership membership;
    @Inject ConnectionRegistry connections;
    @Inject SignalingConfig config;
    @Inject SignalingEvents events;
    @Inject ViolationLog violations;
}
