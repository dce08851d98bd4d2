// The kiosk's HTTP face: the page's files, the card model (/card.json) and the submit
// endpoint (/submit), each answer with a strict Content-Security-Policy and no caching,
// so nothing of one guest's card stays in the browser for the next.
#pragma once

#include <cstddef>
#include <string>

#include <httplib.h>

#include "candor/kiosk/desk.hpp"

namespace candor::kiosk {

// Far above any card the page can build (a text answer is at most 4000 bytes), far
// below what could hurt the device.
inline constexpr std::size_t max_submit_bytes = 256 * 1024;

// Registers the kiosk's routes on `http`. `card_json` is page_model() as text; `d` must
// outlive the server.
void route(httplib::Server& http, desk& d, std::string card_json);

}  // namespace candor::kiosk
