// The PMS export: a CSV with a header row naming its columns.
#include <array>
#include <charconv>
#include <system_error>

#include "candor/invite/invite.hpp"
#include "candor/time.hpp"
#include "util/csv.hpp"
#include "util/file_io.hpp"

namespace candor::invite {

namespace {

constexpr std::array<std::string_view, 6> columns = {"stay_id",  "email", "name",
                                                     "language", "site",  "checkout"};

// "2026-11-23 11:00", "2026-11-23T11:00:00": wall-clock seconds (as if UTC).
std::optional<timestamp> wall_clock(std::string_view t) {
    if (t.size() != 16 && t.size() != 19) return std::nullopt;
    std::string iso(t);
    if (iso[10] == ' ') iso[10] = 'T';
    if (iso.size() == 16) iso += ":00";
    return parse_timestamp(iso + "Z");
}

}  // namespace

result<std::vector<stay>> parse_stays(std::string_view csv, std::string_view file_name) {
    std::string const file(file_name);
    if (csv.size() > max_stays_bytes)
        return fail("bad-stays",
                    "an export is at most " + std::to_string(max_stays_bytes) + " bytes",
                    {.file = file});
    util::csv_scanner in(csv);
    std::array<int, columns.size()> at{};
    at.fill(-1);
    if (!in.next_record()) return fail("bad-stays", "the export is empty", {.file = file});
    for (int i = 0;; ++i) {
        std::string_view cell;
        auto const cut = in.cell(cell);
        if (cut == util::csv_scanner::cut::bad)
            return fail("bad-stays", in.error(), {.file = file, .line = in.error_line()});
        for (std::size_t c = 0; c < columns.size(); ++c)
            if (cell == columns[c]) at[c] = i;
        if (cut == util::csv_scanner::cut::last) break;
    }
    for (std::size_t c = 0; c < columns.size(); ++c)
        if (at[c] < 0)
            return fail("bad-stays", "the header row has no column " + std::string(columns[c]),
                        {.file = file, .line = 1});
    std::vector<stay> out;
    std::vector<std::string> cells;
    while (in.next_record()) {
        auto const line = in.record_line();
        cells.clear();
        for (;;) {
            std::string_view cell;
            auto const cut = in.cell(cell);
            if (cut == util::csv_scanner::cut::bad)
                return fail("bad-stays", in.error(), {.file = file, .line = in.error_line()});
            if (cell.size() > max_stay_cell_bytes)
                return fail(
                    "bad-stay",
                    "a cell is longer than " + std::to_string(max_stay_cell_bytes) + " bytes",
                    {.file = file, .line = line});
            cells.emplace_back(cell);
            if (cut == util::csv_scanner::cut::last) break;
        }
        auto const get = [&](std::size_t c) -> std::string {
            auto const i = static_cast<std::size_t>(at[c]);
            return i < cells.size() ? cells[i] : std::string();
        };
        stay s{get(0), get(1), get(2), get(3), get(4), 0, false, line};
        auto const bad = [&](std::string message) {
            return fail("bad-stay", std::move(message), {.file = file, .line = line});
        };
        if (s.id.empty()) return bad("a stay without its stay_id");
        if (s.site.empty()) return bad("stay " + s.id + " names no site");
        auto const checkout = get(5);
        if (auto t = parse_timestamp(checkout); t && checkout.size() > 19) {
            s.checkout = *t;
        } else if (auto w = wall_clock(checkout)) {
            s.checkout = *w;
            s.local = true;
        } else {
            return bad("stay " + s.id + ": checkout `" + checkout +
                       "` is not a time like 2026-11-23T11:00:00Z or 2026-11-23 11:00");
        }
        out.push_back(std::move(s));
    }
    return out;
}

result<std::vector<stay>> read_stays(std::filesystem::path const& file) {
    seal::bytes raw;
    try {
        raw = util::read_file(file);
    } catch (std::system_error const& e) {
        return fail("io", e.what(), {.file = file.string()});
    }
    return parse_stays(std::string_view(reinterpret_cast<char const*>(raw.data()), raw.size()),
                       file.string());
}

}  // namespace candor::invite
