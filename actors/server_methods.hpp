// The catalog methods (tools, resources, prompts, completion): each answered from an
// immutable catalog snapshot by a handler that may run on a worker thread.
#pragma once

#include "actors/inbound_request.hpp"
#include "actors/messages.hpp"

#include <string_view>

namespace mcp::actors {

struct catalog_handler {
  method_handler handler; // empty when the method is not a catalog method
  bool quick = false;     // never blocks: may run on the request's actor
};

// The handler for the request `m`: lists are quick, and so are tools that say they never
// block; user handlers otherwise may block.
catalog_handler catalog_method(const jsonrpc::message& m, const catalog_ptr& catalog,
                               std::size_t page_size);

} // namespace mcp::actors
