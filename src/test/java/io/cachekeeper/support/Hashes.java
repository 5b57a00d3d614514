package io.cachekeeper.support;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/** The embedded realm's password digest: hex(sha256("user:Quarkus:password")). */
public final class Hashes {

    private Hashes() {
    }

    public static String userHash(String user, String password) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest((user + ":Quarkus:" + password).getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
