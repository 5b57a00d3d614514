package io.cachekeeper.security;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.elytron.security.runtime.ElytronPasswordIdentityProvider;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.smallrye.mutiny.Uni;

/**
 * HTTP Basic checks through {@link VerifiedCredentials}: a hit answers on the calling event-loop thread;
 * a miss goes to Quarkus's own provider for the embedded users (which verifies the digest on a worker
 * thread) and remembers a success. Quarkus asks providers in order of priority, so this one answers
 * first; the identity it keeps is the provider's, before augmentation, which Quarkus still applies per
 * request.
 */
@ApplicationScoped
public class CachingPasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final int CAPACITY = 1024;
    private static final Duration TTL = Duration.ofMinutes(5);

    private final ElytronPasswordIdentityProvider store;
    private final VerifiedCredentials<SecurityIdentity> verified = new VerifiedCredentials<>(CAPACITY, TTL, System::nanoTime);

    public CachingPasswordIdentityProvider(ElytronPasswordIdentityProvider store) {
        this.store = store;
    }

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public int priority() {
        return store.priority() + 1;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
            AuthenticationRequestContext context) {
        String user = request.getUsername();
        char[] password = request.getPassword().getPassword();
        SecurityIdentity known = verified.get(user, password);
        if (known != null) {
            return Uni.createFrom().item(known);
        }
        return store.authenticate(request, context).invoke(identity -> {
            if (identity != null && !identity.isAnonymous()) {
                verified.put(user, password, identity);
            }
        });
    }
}
