package dev.roleproof.engine.internal;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Memoises a pure function of policy or request text. Stops remembering new keys once full, so a long eval run over
 * ever new resources cannot grow it without bound (later keys are just computed each time).
 */
public final class BoundedCache<K, V> {
    private final ConcurrentHashMap<K, V> map = new ConcurrentHashMap<>();
    private final int capacity;

    public BoundedCache(int capacity) {
        this.capacity = capacity;
    }

    public V get(K key, Function<K, V> compute) {
        V v = map.get(key);
        if (v != null) {
            return v;
        }
        v = compute.apply(key);
        if (map.size() < capacity) {
            map.putIfAbsent(key, v);
        }
        return v;
    }
}
