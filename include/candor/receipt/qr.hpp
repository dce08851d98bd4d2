// QR codes as SVG (libqrencode): the guest's status link on the thank-you screen, the table
// cards' links (`candor qr`) printed on a card or a room's door. No outside fonts or images:
// one path on a white square, black modules.
// Thread safety: pure functions of their arguments.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "candor/error.hpp"

namespace candor::receipt {

// Past this a code grows too dense to scan from a printed card (a link is far shorter).
inline constexpr std::size_t max_qr_text_bytes = 1024;

// `text` (a link) as a QR code, error correction M (15% of the code may be lost), with the
// standard quiet zone of four modules; `module_px` is the size of one module in the SVG's
// user units. Fails "too-large" past max_qr_text_bytes, "qr" when libqrencode cannot.
result<std::string> qr_svg(std::string_view text, unsigned module_px = 8);

}  // namespace candor::receipt
