package io.cachekeeper.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.Config;

import io.quarkus.arc.profile.IfBuildProfile;
import io.quarkus.runtime.Startup;

/**
 * Refuses to start the production profile while a user still has its dev/test password (the
 * user's own name), so a copied development configuration cannot open the API to anyone.
 */
@IfBuildProfile("prod")
@Startup
@ApplicationScoped
public class ProductionCredentialsGuard {

    static final String USERS = "quarkus.security.users.embedded.users.";

    public ProductionCredentialsGuard(Config config) {
        for (String name : config.getPropertyNames()) {
            if (!name.startsWith(USERS)) {
                continue;
            }
            String user = name.substring(USERS.length());
            String hash = config.getOptionalValue(name, String.class).orElse("");
            if (hash.equalsIgnoreCase(devHash(user))) {
                String env = "CACHEKEEPER_" + user.toUpperCase(java.util.Locale.ROOT).replaceAll("[^A-Z0-9]", "_")
                        + "_PASSWORD_HASH";
                throw new IllegalStateException("user '" + user + "' still has its development password; set "
                        + env + " (or " + name + ") to hex(sha256(\"" + user + ":Quarkus:<password>\"))");
            }
        }
    }

    /** The dev/test convention: the password is the user's name. */
    static String devHash(String user) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((user + ":Quarkus:" + user).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
