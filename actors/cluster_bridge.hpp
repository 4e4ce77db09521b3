// The cluster bridge: one actor per instance that carries HTTP exchanges between the
// instance holding a client's connection and the instance running its session.
//
// On the holder, a request for a session that is not local becomes a relay: an actor
// that stands for the owner's session to the local exchange. On the owner, the relayed
// request gets a proxy: an actor that stands for the holder's exchange to the session,
// speaking the exchange protocol (actors/http_exchange.hpp) unchanged. Between them only
// envelopes travel (actors/cluster_envelope.hpp).
//
// broker -> bridge  (forward_atom, exchange, http_request, std::string session_id)
//                   a request for a session the broker does not run
// bridge -> broker  (restore_atom, session_record, exchange, http_request)
//                   a session taken over from a dead owner, and the request that found it
// bridge -> broker  (http_atom, proxy, http_request)  a relayed request (marked relayed)
// broker -> bridge  (updated_atom, uri)               tell the other instances
// bridge -> broker  (updated_atom, uri, from)         another instance's resource update
// cluster -> bridge (envelope_atom, std::string)      an envelope from the mailbox
// cluster -> bridge (bounced_atom, instance, std::string)  one of ours that reached no one
#pragma once

#include "actors/http_exchange.hpp"
#include "actors/messages.hpp"
#include "actors/telemetry.hpp"

#include <mcp/cluster.hpp>

#include <caf/actor.hpp>
#include <caf/fwd.hpp>

#include <chrono>
#include <memory>

namespace mcp::actors {

using forward_atom = caf::atom_constant<caf::atom("forward")>;
using restore_atom = caf::atom_constant<caf::atom("restore")>;
using envelope_atom = caf::atom_constant<caf::atom("envelope")>;
using bounced_atom = caf::atom_constant<caf::atom("bounced")>;

struct bridge_config {
  std::shared_ptr<cluster> shared;
  caf::actor broker;
  telemetry* observer;
  // How often peers' leases are checked: the relays and proxies of a dead peer end.
  std::chrono::milliseconds liveness_period{1000};
  // A relayed request with no answer from its owner in this time gets 504 (the broker sets
  // it to the request deadline plus 10 s).
  std::chrono::milliseconds answer_timeout{70'000};
};

// Spawns the bridge (on its own thread when the cluster's calls block) and points the
// cluster's mailbox at it.
caf::actor spawn_bridge(caf::actor_system& system, bridge_config config);

} // namespace mcp::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(mcp::session_record)
