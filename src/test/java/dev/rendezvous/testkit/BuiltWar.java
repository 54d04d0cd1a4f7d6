package dev.rendezvous.testkit;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;

/** The WAR {@code mvn package} built, exactly as it ships, for black-box deployments. */
public final class BuiltWar {

    private BuiltWar() {
    }

    public static WebArchive get() {
        return ShrinkWrap.create(ZipImporter.class, "ROOT.war")
                .importFrom(new File(System.getProperty("it.war"))).as(WebArchive.class);
    }

    /** The built WAR with these {@code key=value} lines as its microprofile-config.properties. */
    public static WebArchive configuredWith(String... settings) {
        return get().addAsResource(new StringAsset(String.join("\n", settings)), "META-INF/microprofile-config.properties");
    }
}
