#!/bin/sh
# Starts Payara Micro with the signaling WAR: a node alone, or a node of a data-grid cluster
# when RENDEZVOUS_CLUSTER_MEMBERS is set. The application itself reads SIGNALING_* variables
# (MicroProfile Config); nothing here touches them.
#
#   RENDEZVOUS_CLUSTER_MEMBERS  none           host:port,... the grid addresses of the nodes (this one may be listed)
#   RENDEZVOUS_CLUSTER_NAME     rendezvous     nodes join only a cluster of the same name
#   RENDEZVOUS_CLUSTER_PORT     6900           this node's grid port
#   RENDEZVOUS_MICRO_OPTIONS    none           more Payara Micro options, split on blanks
#   JVM_ARGS                    none           more JVM options, split on blanks; they come after
#                                              the grid settings below, so they can override them
#   MEM_MAX_RAM_PERCENTAGE      70             heap as a share of the container's memory
#   PAYARA_DIR                  /opt/payara    holds payara-micro.jar, both preboot files and jvm.options
#                                              (the JVM options of the run command, first on the line)
#   DEPLOY_DIR                  /opt/payara/deployments
set -eu
set -f # option lists are split on blanks below; never expand globs in them

payara_dir=${PAYARA_DIR:-/opt/payara}
deploy_dir=${DEPLOY_DIR:-/opt/payara/deployments}
members=$(printf '%s' "${RENDEZVOUS_CLUSTER_MEMBERS:-}" | tr -d ' \t\n')

fail() {
    echo "rendezvous: $*" >&2
    exit 64
}

if [ -z "$members" ]; then
    echo "rendezvous: single node, data grid off (set RENDEZVOUS_CLUSTER_MEMBERS for a cluster)" >&2
    # --nocluster alone still opens the grid port: the preboot file switches the grid off.
    # shellcheck disable=SC2086 # JVM_ARGS and RENDEZVOUS_MICRO_OPTIONS are lists of options
    exec java @"$payara_dir/jvm.options" -XX:MaxRAMPercentage="${MEM_MAX_RAM_PERCENTAGE:-70}" ${JVM_ARGS:-} \
        -jar "$payara_dir/payara-micro.jar" --nocluster --disablephonehome \
        --prebootcommandfile "$payara_dir/preboot.asadmin" \
        ${RENDEZVOUS_MICRO_OPTIONS:-} --deploymentDir "$deploy_dir"
fi

name=${RENDEZVOUS_CLUSTER_NAME:-rendezvous}
port=${RENDEZVOUS_CLUSTER_PORT:-6900}
is_port() {
    case $1 in '' | *[!0-9]*) return 1 ;; esac
    [ "$1" -ge 1 ] && [ "$1" -le 65535 ]
}
is_port "$port" || fail "RENDEZVOUS_CLUSTER_PORT is not a port: $port"
IFS=,
for member in $members; do
    # Hazelcast would try its own default ports for a member without one, and never find the node.
    case $member in
        ?*:*) is_port "${member##*:}" || fail "RENDEZVOUS_CLUSTER_MEMBERS: bad port in '$member'" ;;
        *) fail "RENDEZVOUS_CLUSTER_MEMBERS: '$member' is not host:port" ;;
    esac
done
unset IFS

echo "rendezvous: cluster node of '$name', grid port $port, members $members" >&2
# Members are found by TCP/IP only, never multicast. A node not heard for 8 s (heartbeats every
# second) is dropped, so its rooms' members are announced as gone even when no TCP reset
# arrives (a host that vanished); Hazelcast's default is 60 s. Hazelcast's own shutdown hook would
# take the node out of the grid the moment SIGTERM arrives; without it Payara stops the grid
# member after the application, which first hands its members over to the other nodes.
# shellcheck disable=SC2086 # JVM_ARGS and RENDEZVOUS_MICRO_OPTIONS are lists of options
exec java @"$payara_dir/jvm.options" -XX:MaxRAMPercentage="${MEM_MAX_RAM_PERCENTAGE:-70}" \
    -Dhazelcast.phone.home.enabled=false -Dhazelcast.shutdownhook.enabled=false \
    -Dhazelcast.heartbeat.interval.seconds=1 -Dhazelcast.max.no.heartbeat.seconds=8 \
    ${JVM_ARGS:-} \
    -jar "$payara_dir/payara-micro.jar" --disablephonehome \
    --prebootcommandfile "$payara_dir/preboot-cluster.asadmin" \
    --clustermode "tcpip:$members" --startport "$port" --clustername "$name" \
    ${RENDEZVOUS_MICRO_OPTIONS:-} --deploymentDir "$deploy_dir"
