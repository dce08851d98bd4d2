// Rate limits of head office's server: requests counted per key (a client address, an
// e-mail address) within rate_window. Private to lib/serve.
// Thread safety: a counter may be shared by every thread (one mutex).
#pragma once

#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

#include "candor/serve/server.hpp"

namespace candor::serve {

// Keys counted at once: past it they start over (a flood of addresses forgets).
inline constexpr std::size_t max_counted_clients = 100000;

class counter {
  public:
    explicit counter(std::size_t limit) : limit_(limit) {}
    bool over(std::string const& client, std::int64_t now) {
        std::lock_guard lock(m_);
        auto& c = at(client, now);
        return c.second >= limit_;
    }
    void count(std::string const& client, std::int64_t now) {
        std::lock_guard lock(m_);
        ++at(client, now).second;
    }

  private:
    std::pair<std::int64_t, std::size_t>& at(std::string const& client, std::int64_t now) {
        if (counts_.size() >= max_counted_clients) counts_.clear();
        auto& c = counts_[client];
        if (now - c.first >= rate_window.count()) c = {now, 0};
        return c;
    }
    std::size_t limit_;
    std::mutex m_;
    std::unordered_map<std::string, std::pair<std::int64_t, std::size_t>> counts_;
};

}  // namespace candor::serve
