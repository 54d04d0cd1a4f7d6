package dev.rendezvous.cluster;

import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@link RoomView}s of the rooms this node holds members of, by room name, and how many rooms
 * are open here against the cap on rooms.
 */
final class RoomViews {

    private final ConcurrentHashMap<String, RoomView> views = new ConcurrentHashMap<>();
    private final AtomicInteger open = new AtomicInteger();

    /**
     * The room's view, a new one when this node holds no members of it; null when a new one would
     * open more than {@code maxRooms} rooms here. A view may be retired by the time its caller holds
     * its monitor; the caller then asks again.
     */
    RoomView open(String room, int maxRooms) {
        RoomView view = views.computeIfAbsent(room, key -> open.incrementAndGet() > maxRooms ? null : new RoomView(key));
        if (view == null) {
            open.decrementAndGet();
        }
        return view;
    }

    /** The room's view; null when this node holds no members of it. */
    RoomView get(String room) {
        return views.get(room);
    }

    /** Takes a view whose last member here left out of the map for good; the caller holds its monitor. */
    void retireIfEmpty(String room, RoomView view) {
        if (view.isEmpty() && !view.retired) {
            view.retired = true;
            views.remove(room, view);
            open.decrementAndGet();
        }
    }

    /** Whether any view still holds members, or members moving away. */
    boolean holdMembers() {
        for (RoomView view : views.values()) {
            synchronized (view) {
                if (view.holds()) {
                    return true;
                }
            }
        }
        return false;
    }

    Collection<RoomView> all() {
        return views.values();
    }

    int count() {
        return views.size();
    }

    /** How many members each view holds, leaving out views that are empty but not yet retired. */
    int[] membersPerRoom() {
        return views.values().stream().mapToInt(view -> {
            synchronized (view) {
                return view.size();
            }
        }).filter(size -> size > 0).toArray();
    }
}
