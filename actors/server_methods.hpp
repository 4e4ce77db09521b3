// The catalog methods (tools, resources, prompts, completion): each answered from an
// immutable catalog snapshot by a handler that may run on a worker thread.
#pragma once

#include "actors/inbound_request.hpp"
#include "actors/messages.hpp"

#include <string_view>

namespace mcp::actors {

// The handler for `method`, or an empty one when it is not a catalog method.
method_handler catalog_method(std::string_view method, const catalog_ptr& catalog,
                              std::size_t page_size);

} // namespace mcp::actors
