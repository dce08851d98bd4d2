// The table cards' QR codes: the SVG read back module by module shows a QR symbol (finder
// patterns in three corners, timing patterns between them, the quiet zone clear).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "candor/receipt/qr.hpp"
#include "candor/serve/qr.hpp"

using namespace candor;

namespace {

// The dark modules of the SVG's path ("Mx yh1v1h-1z" each), as rows of the whole viewBox.
std::vector<std::vector<bool>> modules(std::string const& svg) {
    auto const box = svg.find("viewBox=\"0 0 ");
    REQUIRE(box != std::string::npos);
    int const n = std::stoi(svg.substr(box + 13));
    std::vector<std::vector<bool>> m(n, std::vector<bool>(n, false));
    auto const d = svg.find(" d=\"");
    REQUIRE(d != std::string::npos);
    auto const end = svg.find('"', d + 4);
    for (auto at = svg.find('M', d); at < end; at = svg.find('M', at + 1)) {
        std::size_t used = 0;
        int const x = std::stoi(svg.substr(at + 1), &used);
        auto const rest = svg.substr(at + 1 + used);
        REQUIRE(rest.starts_with(' '));
        std::size_t more = 0;
        int const y = std::stoi(rest.substr(1), &more);
        REQUIRE(rest.substr(1 + more).starts_with("h1v1h-1z"));
        REQUIRE(x < n);
        REQUIRE(y < n);
        m[y][x] = true;
    }
    return m;
}

// A finder pattern at (x, y): a 7x7 ring, a white ring, a 3x3 core.
bool finder_at(std::vector<std::vector<bool>> const& m, int x, int y) {
    for (int j = 0; j < 7; ++j)
        for (int i = 0; i < 7; ++i) {
            bool const ring = i == 0 || i == 6 || j == 0 || j == 6;
            bool const core = i >= 2 && i <= 4 && j >= 2 && j <= 4;
            if (m[y + j][x + i] != (ring || core)) return false;
        }
    return true;
}

}  // namespace

TEST_CASE("a table card's QR code is a QR symbol of its link") {
    auto const link = serve::table_link("https://feedback.example.com/", "paris-01", "12");
    CHECK(link == "https://feedback.example.com/t/paris-01/12");
    CHECK(serve::invitation_link("https://feedback.example.com//", "abc") ==
          "https://feedback.example.com/s/abc");
    auto svg = receipt::qr_svg(link, 8);
    REQUIRE(svg);
    CHECK(svg->starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    auto const m = modules(*svg);
    int const n = static_cast<int>(m.size());
    int const w = n - 8;       // the symbol inside a quiet zone of 4
    CHECK((w - 17) % 4 == 0);  // 17 + 4 * version modules
    CHECK(svg->find("width=\"" + std::to_string(n * 8) + "\"") != std::string::npos);
    for (int i = 0; i < n; ++i)
        for (int q = 0; q < 4; ++q) {
            CHECK_FALSE(m[q][i]);
            CHECK_FALSE(m[n - 1 - q][i]);
            CHECK_FALSE(m[i][q]);
            CHECK_FALSE(m[i][n - 1 - q]);
        }
    CHECK(finder_at(m, 4, 4));
    CHECK(finder_at(m, 4 + w - 7, 4));
    CHECK(finder_at(m, 4, 4 + w - 7));
    CHECK_FALSE(finder_at(m, 4 + w - 7, 4 + w - 7));
    for (int i = 8; i < w - 8; ++i) {
        CHECK(m[4 + 6][4 + i] == (i % 2 == 0));
        CHECK(m[4 + i][4 + 6] == (i % 2 == 0));
    }
    // Another table, another code.
    CHECK(*receipt::qr_svg(serve::table_link("https://feedback.example.com", "paris-01", "13")) !=
          *svg);

    auto huge = receipt::qr_svg(std::string(receipt::max_qr_text_bytes + 1, 'a'));
    REQUIRE_FALSE(huge);
    CHECK(huge.error()[0].code == "too-large");
}
