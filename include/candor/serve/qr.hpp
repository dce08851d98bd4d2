// The links head office prints as QR codes (receipt::qr_svg draws them): the table cards'
// (`candor qr`), on a card or a room's door, and the invitations'.
// Thread safety: pure functions of their arguments.
#pragma once

#include <string>
#include <string_view>

namespace candor::serve {

// The table card's link: BASE/t/SITE/TABLE (a trailing slash of BASE ignored).
std::string table_link(std::string_view base, std::string_view site, std::string_view table);
// An invitation's link: BASE/s/TOKEN (a trailing slash of BASE ignored).
std::string invitation_link(std::string_view base, std::string_view token);

}  // namespace candor::serve
