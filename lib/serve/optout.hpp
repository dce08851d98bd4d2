// The opt-out routes of head office's server (/u/TOKEN), kept beside the list they write.
// Private to lib/serve.
#pragma once

#include <functional>
#include <string_view>

#include "candor/serve/optout.hpp"
#include "kiosk/http.hpp"

namespace candor::serve::detail {

// Whether `path` is an opt-out link's (/u/TOKEN); the methods it takes are GET, HEAD, POST.
bool optout_path(std::string_view path);
using page_fn = std::function<void(httplib::Response&, int, std::string_view, std::string_view)>;
// GET /u/TOKEN: a page with the button that unsubscribes; POST /u/TOKEN (the one-click
// List-Unsubscribe=One-Click, or that button): records it. 404 for a token not ours.
void add_optout_routes(kiosk::http::hardened_server& http, optouts& list, page_fn page);

}  // namespace candor::serve::detail
