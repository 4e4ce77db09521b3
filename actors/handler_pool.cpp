#include "actors/handler_pool.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>

namespace mcp::actors {

struct handler_pool::impl {
  explicit impl(std::size_t threads) : pool(threads) {}
  boost::asio::thread_pool pool;
};

handler_pool::handler_pool(std::size_t threads)
  : impl_(threads == 0 ? nullptr : std::make_unique<impl>(threads)) {}

handler_pool::~handler_pool() { join(); }

void handler_pool::post(std::function<void()> job) {
  if (impl_ == nullptr)
    job();
  else
    boost::asio::post(impl_->pool, std::move(job));
}

void handler_pool::join() {
  if (impl_ != nullptr)
    impl_->pool.join();
}

} // namespace mcp::actors
