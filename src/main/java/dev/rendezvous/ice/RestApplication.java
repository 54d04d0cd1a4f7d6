package dev.rendezvous.ice;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/** Jakarta REST resources live under {@code /api}. */
@ApplicationPath("api")
public class RestApplication extends Application {
}
