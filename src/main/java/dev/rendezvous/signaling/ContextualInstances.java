package dev.rendezvous.signaling;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;

/**
 * The application-scoped beans themselves, for code that calls them on every message: what
 * {@code @Inject} gives is a client proxy, and Weld's proxy finds the instance in its context and
 * calls the method by reflection each time (on every relayed message: the relay, its metric, and
 * the write's timing for every recipient). An application-scoped instance lives as long as the
 * deployment that holds the reference, so holding it directly changes nothing else.
 */
final class ContextualInstances {

    private ContextualInstances() {
    }

    /** The instance of the application-scoped bean of {@code type}, made now if it was not yet. */
    static <T> T of(BeanManager beans, Class<T> type) {
        @SuppressWarnings("unchecked")
        Bean<T> bean = (Bean<T>) beans.resolve(beans.getBeans(type));
        if (bean == null || bean.getScope() != ApplicationScoped.class) {
            throw new IllegalStateException("not one application-scoped bean: " + type.getName());
        }
        CreationalContext<T> creation = beans.createCreationalContext(bean);
        return type.cast(beans.getContext(ApplicationScoped.class).get(bean, creation));
    }
}
