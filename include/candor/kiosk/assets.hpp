// The page's files (lib/kiosk/page/), compiled into the library so that whatever serves the
// card (candor-kiosk, a vendor's product, head office's web server) serves everything itself:
// no external assets, nothing to install beside the binary.
// Thread safety: constant data; safe from any thread.
#pragma once

#include <span>
#include <string_view>

namespace candor::kiosk {

struct asset {
    std::string_view path;  // as requested, e.g. "/kiosk.js"; index.html is "/"
    std::string_view type;  // Content-Type
    std::string_view body;
    std::string_view gzip;  // the body gzipped (at build time)
};

// Generated at build time from page/ (embed_assets.cmake).
std::span<asset const> page_assets();

asset const* find_asset(std::string_view path);

}  // namespace candor::kiosk
