#include "candor/receipt/qr.hpp"

#include <qrencode.h>

#include <memory>

namespace candor::receipt {

namespace {
constexpr int quiet_zone = 4;  // modules of white around the code, as the standard asks
}  // namespace

result<std::string> qr_svg(std::string_view text, unsigned module_px) {
    if (text.size() > max_qr_text_bytes)
        return fail("too-large",
                    "a QR code holds at most " + std::to_string(max_qr_text_bytes) + " bytes here");
    std::string const s(text);
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(s.c_str(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) return fail("qr", "libqrencode could not encode `" + s + "`");
    int const w = code->width;
    auto const side = std::to_string((w + 2 * quiet_zone) * static_cast<int>(module_px));
    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + side + "\" height=\"" +
                      side + "\" viewBox=\"0 0 " + std::to_string(w + 2 * quiet_zone) + " " +
                      std::to_string(w + 2 * quiet_zone) +
                      "\" shape-rendering=\"crispEdges\">\n<rect width=\"100%\" height=\"100%\" "
                      "fill=\"#fff\"/>\n<path fill=\"#000\" d=\"";
    for (int y = 0; y < w; ++y)
        for (int x = 0; x < w; ++x)
            if (code->data[y * w + x] & 1) {  // bit 0: a dark module
                svg += 'M';
                svg += std::to_string(x + quiet_zone);
                svg += ' ';
                svg += std::to_string(y + quiet_zone);
                svg += "h1v1h-1z";
            }
    svg += "\"/>\n</svg>\n";
    return svg;
}

}  // namespace candor::receipt
