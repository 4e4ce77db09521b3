#include "actors/inbound_request.hpp"

#include "actors/live_context.hpp"
#include "actors/messages.hpp"

#include <mcp/errors.hpp>

#include <caf/all.hpp>

namespace mcp::actors {

namespace {

// Runs the handler and encodes its outcome; never throws.
std::string answer(const inbound_job& job, request_context& ctx) {
  auto& id = job.request.id;
  try {
    return jsonrpc::encode_result(id, job.handler(job.request, ctx));
  } catch (const rpc_error& e) {
    return jsonrpc::encode_error(id, {e.code(), e.what(), e.data()});
  } catch (const std::exception& e) {
    return jsonrpc::encode_error(id, {jsonrpc::code::internal_error, e.what(), {}});
  } catch (...) {
    return jsonrpc::encode_error(
        id, {jsonrpc::code::internal_error, "the handler threw a non-standard exception", {}});
  }
}

} // namespace

caf::behavior inbound_request(caf::stateful_actor<inbound_request_state>* self, inbound_job job) {
  self->send(self, run_atom::value);
  auto started = self->clock().now();
  if (job.observer)
    ++job.observer->stats.requests;
  auto finish = [self, started, observer = job.observer](auto&&... reply) {
    if (observer)
      observer->stats.request_seconds.observe(self->clock().now() - started);
    self->state.cancelled->store(true);
    self->send(std::forward<decltype(reply)>(reply)...);
    self->quit();
  };
  return {
      [=](run_atom) {
        auto on_this_actor = job.quick || job.pool->runs_inline();
        live_context::setup p{job.session,           job.key,
                              self->state.cancelled, job.progress_token,
                              job.protocol_version,  job.client_capabilities,
                              !on_this_actor};
        if (on_this_actor) {
          live_context ctx{std::move(p)};
          self->send(self, handled_atom::value, answer(job, ctx));
          return;
        }
        caf::actor me = caf::actor_cast<caf::actor>(self);
        job.pool->post([job, p = std::move(p), me]() mutable {
          live_context ctx{std::move(p)};
          caf::anon_send(me, handled_atom::value, answer(job, ctx));
        });
      },
      [=](handled_atom, std::string& response) {
        finish(job.session, reply_atom::value, job.key, std::move(response));
      },
      [=](cancel_atom) {
        self->state.cancelled->store(true);
        self->quit();
      },
      // The deadline is a receive timeout (only `run` precedes it, at once), not a delayed
      // message to itself: CAF cancels it when the actor ends, where a pending delayed
      // message would keep every answered request's memory until its deadline.
      caf::after(job.deadline) >>
          [=] {
            auto ms = std::to_string(job.deadline.count());
            if (job.observer) {
              ++job.observer->stats.request_timeouts;
              job.observer->log.write(log_severity::warning, "request_timed_out",
                                      {{"session", job.session_id},
                                       {"request", job.request.id.to_json()},
                                       {"method", job.request.method},
                                       {"after_ms", ms}});
            }
            finish(job.session, reply_atom::value, job.key,
                   jsonrpc::encode_error(job.request.id, {jsonrpc::code::request_timeout,
                                                          "request timed out after " + ms + " ms",
                                                          {}}));
          },
  };
}

} // namespace mcp::actors
