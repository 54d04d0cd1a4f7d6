package dev.rendezvous.ops;

import dev.rendezvous.room.Relay;
import dev.rendezvous.room.Rings;
import dev.rendezvous.signaling.Answer;
import dev.rendezvous.signaling.Close;
import dev.rendezvous.signaling.ConnectionRegistry;
import dev.rendezvous.signaling.ErrorCode;
import dev.rendezvous.signaling.Offer;
import dev.rendezvous.signaling.Signal;
import dev.rendezvous.signaling.SignalingEvents;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Arrays;
import java.util.List;

/**
 * This node's metrics: counters of what the signaling sockets tell ({@link SignalingEvents}), and
 * gauges read from the connection registry and the relay at scrape time, written in the Prometheus text format.
 * Counting is on the path of every relayed message, so it is by index into counters made up front.
 */
@ApplicationScoped
public class MetricRegistry implements SignalingEvents {

    /** The close codes of docs/PROTOCOL.md, those the server sends and those clients send. */
    static final int[] CLOSE_CODES = Close.documentedCodes();
    private static final double[] LATENCY_SECONDS = {0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
            0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final double[] ROOM_PEERS = {1, 2, 3, 4, 5, 6, 8, 10, 16, 32, 64, 128, 256};
    private static final int OFFER = 0;
    private static final int ANSWER = 1;
    private static final int CANDIDATE = 2;
    private static final int RESUMED = 0;
    private static final int FAILED = 1;

    @Inject
    ConnectionRegistry connections;

    @Inject
    Relay relay;

    private final LabeledCounter relayed = new LabeledCounter("rendezvous_messages_relayed_total",
            "Signals from this node's clients handed to the relay, by type (a broadcast counts once).",
            "type", "offer", "answer", "candidate");
    private final LabeledCounter errors = new LabeledCounter("rendezvous_errors_sent_total",
            "Error messages sent to this node's clients, by code.",
            "code", Arrays.stream(ErrorCode.values()).map(Enum::name).toArray(String[]::new));
    private final LabeledCounter closes = new LabeledCounter("rendezvous_connections_closed_total",
            "Admitted signaling sockets that ended, by close code (other: a code the protocol does not use).",
            "code", closeCodeLabels());
    private final LabeledCounter resumes = new LabeledCounter("rendezvous_resumes_total",
            "Connections that asked to resume a membership, by outcome.",
            "outcome", "resumed", "failed");
    private final Counter rateLimited = new Counter("rendezvous_rate_limited_total",
            "Messages dropped because their socket went over its rate.");
    private final Histogram latency = new Histogram("rendezvous_relay_latency_seconds",
            "Time from queueing a message on a socket to the container reporting it written.",
            1e9, LATENCY_SECONDS);
    private final List<Metric> counted = List.of(relayed, errors, closes, resumes, rateLimited, latency);

    private static String[] closeCodeLabels() {
        String[] labels = new String[CLOSE_CODES.length + 1];
        for (int i = 0; i < CLOSE_CODES.length; i++) {
            labels[i] = Integer.toString(CLOSE_CODES[i]);
        }
        labels[CLOSE_CODES.length] = "other";
        return labels;
    }

    /** A signal from a client of this node was handed to the relay. */
    @Override
    public void relayed(Signal signal) {
        relayed.increment(signal instanceof Offer ? OFFER : signal instanceof Answer ? ANSWER : CANDIDATE);
    }

    /** An error message went to a client. */
    @Override
    public void errorSent(ErrorCode code) {
        errors.increment(code.ordinal());
    }

    /** An admitted socket ended with this close code; call once per socket. */
    @Override
    public void closed(int code) {
        int index = Arrays.binarySearch(CLOSE_CODES, code);
        closes.increment(index >= 0 ? index : CLOSE_CODES.length);
    }

    /** A connection asked to resume; {@code resumed} whether it did. */
    @Override
    public void resumeAttempted(boolean resumed) {
        resumes.increment(resumed ? RESUMED : FAILED);
    }

    /** A message was dropped for going over its socket's rate. */
    @Override
    public void rateLimited() {
        rateLimited.increment();
    }

    @Override
    public void written(long nanos) {
        latency.record(nanos);
    }

    /** Every metric as the Prometheus text format (version 0.0.4) has it. */
    public String scrape() {
        StringBuilder out = new StringBuilder(8192);
        Exposition.gauge(out, "rendezvous_connections_open", "Signaling sockets open on this node.", connections.size());
        Exposition.gauge(out, "rendezvous_rooms_open", "Rooms this node holds members of.", relay.roomCount());
        Histogram peers = new Histogram("rendezvous_room_peers",
                "Members this node holds in each room it holds members of, read at scrape time.", 1, ROOM_PEERS);
        for (int size : relay.membersPerRoom()) {
            peers.record(size);
        }
        peers.writeTo(out);
        Exposition.gauge(out, "rendezvous_resume_rings_kept_bytes",
                "Bytes of resume-window rings kept for reuse by the next busy members.", Rings.shared().kept());
        for (Metric metric : counted) {
            metric.writeTo(out);
        }
        return out.toString();
    }
}
