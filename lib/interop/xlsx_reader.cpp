#include "xlsx_reader.hpp"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <map>
#include <memory>

#include "candor/interop/import.hpp"

namespace candor::interop::detail {

namespace {

constexpr std::uint32_t max_columns = 16384;  // XFD, Excel's last column
constexpr std::uint32_t max_rows = 1048576;

struct zip_closer {
    void operator()(zip_t* z) const { zip_discard(z); }
};
using archive = std::unique_ptr<zip_t, zip_closer>;

std::string_view local_name(char const* name) {
    std::string_view n(name);
    auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

char const* attribute(char const** attrs, std::string_view wanted) {
    for (std::size_t i = 0; attrs[i]; i += 2)
        if (local_name(attrs[i]) == wanted) return attrs[i + 1];
    return nullptr;
}

// One XML part through expat, with a handler object; a DOCTYPE stops the parse (an
// .xlsx part has none, and without one there are no entities to expand).
template <class Handler>
bool parse_xml(std::string const& text, Handler& h) {
    struct context {
        Handler& h;
        XML_Parser parser;
    };
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> p(
        XML_ParserCreate(nullptr), &XML_ParserFree);
    if (!p) return false;
    context c{h, p.get()};
    XML_SetUserData(p.get(), &c);
    XML_SetElementHandler(
        p.get(),
        [](void* u, char const* name, char const** attrs) {
            auto& c = *static_cast<context*>(u);
            c.h.open(local_name(name), attrs);
            if (c.h.failed) XML_StopParser(c.parser, XML_FALSE);
        },
        [](void* u, char const* name) { static_cast<context*>(u)->h.close(local_name(name)); });
    XML_SetCharacterDataHandler(p.get(), [](void* u, char const* s, int len) {
        auto& c = *static_cast<context*>(u);
        c.h.text(std::string_view(s, static_cast<std::size_t>(len)));
        if (c.h.failed) XML_StopParser(c.parser, XML_FALSE);
    });
    XML_SetStartDoctypeDeclHandler(p.get(),
                                   [](void* u, char const*, char const*, char const*, int) {
                                       auto& c = *static_cast<context*>(u);
                                       c.h.failed = true;
                                       XML_StopParser(c.parser, XML_FALSE);
                                   });
    return XML_Parse(p.get(), text.data(), static_cast<int>(text.size()), XML_TRUE) ==
               XML_STATUS_OK &&
           !h.failed;
}

struct workbook_handler {
    std::vector<std::pair<std::string, std::string>> sheets;  // (name, relationship id)
    bool failed = false;
    void open(std::string_view name, char const** attrs) {
        if (name != "sheet") return;
        char const* n = attribute(attrs, "name");
        char const* id = attribute(attrs, "id");
        if (n && id) sheets.emplace_back(n, id);
    }
    void close(std::string_view) {}
    void text(std::string_view) {}
};

struct rels_handler {
    std::map<std::string, std::string> targets;
    bool failed = false;
    void open(std::string_view name, char const** attrs) {
        if (name != "Relationship") return;
        char const* id = attribute(attrs, "Id");
        char const* target = attribute(attrs, "Target");
        if (id && target) targets[id] = target;
    }
    void close(std::string_view) {}
    void text(std::string_view) {}
};

struct strings_handler {
    std::vector<std::string> strings;
    bool failed = false;
    int in_t = 0, in_phonetic = 0;
    void open(std::string_view name, char const**) {
        if (name == "si")
            strings.emplace_back();
        else if (name == "t")
            ++in_t;
        else if (name == "rPh")
            ++in_phonetic;
        failed = failed || strings.size() > max_sheet_cells;
    }
    void close(std::string_view name) {
        if (name == "t")
            --in_t;
        else if (name == "rPh")
            --in_phonetic;
    }
    void text(std::string_view s) {
        if (in_t > 0 && in_phonetic == 0 && !strings.empty()) strings.back() += s;
    }
};

bool parse_ref(std::string_view ref, std::uint32_t& row, std::uint32_t& col) {
    std::size_t i = 0;
    std::uint64_t c = 0, r = 0;
    while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z' && i < 4)
        c = c * 26 + static_cast<std::uint64_t>(ref[i++] - 'A' + 1);
    std::size_t digits = i;
    while (i < ref.size() && ref[i] >= '0' && ref[i] <= '9' && i - digits < 8)
        r = r * 10 + static_cast<std::uint64_t>(ref[i++] - '0');
    if (i != ref.size() || c == 0 || r == 0 || c > max_columns || r > max_rows) return false;
    row = static_cast<std::uint32_t>(r - 1);
    col = static_cast<std::uint32_t>(c - 1);
    return true;
}

struct sheet_handler {
    std::vector<std::string> const& strings;
    sheet& out;
    bool failed = false;
    std::string why{};
    std::size_t cells = 0;
    std::uint32_t row = 0, next_row = 0, col = 0, next_col = 0;
    std::string type{}, value{};
    bool in_cell = false, in_v = false, in_t = false, in_is = false;

    void open(std::string_view name, char const** attrs) {
        if (name == "row") {
            row = next_row;
            if (char const* r = attribute(attrs, "r")) {
                std::string_view rs(r);
                std::uint64_t n = 0;
                for (char ch : rs)
                    n = ch >= '0' && ch <= '9' && n < max_rows
                            ? n * 10 + static_cast<std::uint64_t>(ch - '0')
                            : max_rows + 1;
                if (n == 0 || n > max_rows) return bad("a row number out of range");
                row = static_cast<std::uint32_t>(n - 1);
            }
            next_row = row + 1;
            next_col = 0;
        } else if (name == "c") {
            in_cell = true;
            col = next_col;
            if (char const* r = attribute(attrs, "r")) {
                std::uint32_t rr = 0;
                if (!parse_ref(r, rr, col))
                    return bad(std::string("a bad cell reference `") + r + "`");
            }
            next_col = col + 1;
            char const* t = attribute(attrs, "t");
            type = t ? t : "n";
            value.clear();
        } else if (name == "v") {
            in_v = true;
        } else if (name == "is") {
            in_is = true;
        } else if (name == "t" && in_is) {
            in_t = true;
        }
    }
    void close(std::string_view name) {
        if (name == "v")
            in_v = false;
        else if (name == "t")
            in_t = false;
        else if (name == "is")
            in_is = false;
        else if (name == "c" && in_cell) {
            in_cell = false;
            store();
        }
    }
    void text(std::string_view s) {
        if ((in_v || in_t) && in_cell) {
            if (value.size() + s.size() > max_xlsx_part_bytes) return bad("a cell is too large");
            value += s;
        }
    }
    void bad(std::string message) {
        if (!failed) why = std::move(message);
        failed = true;
    }
    void store() {
        std::string text;
        if (type == "s") {
            std::size_t i = 0;
            for (char ch : value) {
                if (ch < '0' || ch > '9' || i > strings.size())
                    return bad("a shared string index out of range");
                i = i * 10 + static_cast<std::size_t>(ch - '0');
            }
            if (value.empty() || i >= strings.size())
                return bad("a shared string index out of range");
            text = strings[i];
        } else if (type == "b") {
            text = value == "1" ? "TRUE" : "FALSE";
        } else if (type == "e") {
            text = value;  // #N/A and the like: read as written
        } else {
            text = value;  // n, str, inlineStr
        }
        if (text.empty()) return;
        if (++cells > max_sheet_cells)
            return bad("more than " + std::to_string(max_sheet_cells) + " cells");
        if (out.rows.empty() || out.rows.back().index != row) {
            if (!out.rows.empty() && out.rows.back().index > row) return bad("rows out of order");
            out.rows.push_back({row, {}});
        }
        auto& cells_of_row = out.rows.back().cells;
        if (!cells_of_row.empty() && cells_of_row.back().first >= col)
            return bad("cells out of order");
        cells_of_row.emplace_back(col, std::move(text));
    }
};

struct reader {
    zip_t* z;
    std::string const& file;

    // A part, unzipped, at most max_xlsx_part_bytes; nullopt when absent.
    result<std::optional<std::string>> part(std::string const& name) {
        zip_int64_t const index = zip_name_locate(z, name.c_str(), 0);
        if (index < 0) return std::optional<std::string>{};
        std::unique_ptr<zip_file_t, decltype(&zip_fclose)> f(
            zip_fopen_index(z, static_cast<zip_uint64_t>(index), 0), &zip_fclose);
        if (!f) return fail("bad-xlsx", "cannot unzip " + name, {.file = file});
        std::string out;
        char buf[1 << 16];
        for (;;) {
            zip_int64_t n = zip_fread(f.get(), buf, sizeof buf);
            if (n < 0) return fail("bad-xlsx", "cannot unzip " + name, {.file = file});
            if (n == 0) break;
            if (out.size() + static_cast<std::size_t>(n) > max_xlsx_part_bytes)
                return fail("too-large",
                            name + " is over " + std::to_string(max_xlsx_part_bytes >> 20) +
                                " MiB unzipped",
                            {.file = file});
            out.append(buf, static_cast<std::size_t>(n));
        }
        return std::optional<std::string>(std::move(out));
    }
};

std::string resolve(std::string const& target) {
    if (!target.empty() && target.front() == '/') return target.substr(1);
    return "xl/" + target;
}

}  // namespace

std::string cell_name(std::uint32_t row, std::uint32_t column) {
    std::string letters;
    for (std::uint64_t c = std::uint64_t{column} + 1; c > 0; c = (c - 1) / 26)
        letters.insert(letters.begin(), static_cast<char>('A' + (c - 1) % 26));
    return letters + std::to_string(std::uint64_t{row} + 1);
}

result<std::vector<sheet>> read_xlsx(std::string_view bytes, std::string const& file) {
    if (bytes.size() > max_xlsx_bytes)
        return fail("too-large",
                    "an .xlsx file is at most " + std::to_string(max_xlsx_bytes >> 20) + " MiB",
                    {.file = file});
    zip_error_t err;
    zip_error_init(&err);
    zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &err);
    archive z(src ? zip_open_from_source(src, ZIP_RDONLY, &err) : nullptr);
    if (!z) {
        if (src) zip_source_free(src);
        std::string why = zip_error_strerror(&err);
        zip_error_fini(&err);
        return fail("bad-xlsx", "not an .xlsx workbook (" + why + ")", {.file = file});
    }
    zip_error_fini(&err);
    reader r{z.get(), file};
    auto bad = [&](std::string what) { return fail("bad-xlsx", what, {.file = file}); };

    auto wb = r.part("xl/workbook.xml");
    if (!wb) return unexpected(std::move(wb.error()));
    if (!*wb) return bad("not an .xlsx workbook (no xl/workbook.xml)");
    workbook_handler book;
    if (!parse_xml(**wb, book)) return bad("xl/workbook.xml is not well-formed XML");

    auto rels_part = r.part("xl/_rels/workbook.xml.rels");
    if (!rels_part) return unexpected(std::move(rels_part.error()));
    rels_handler rels;
    if (*rels_part && !parse_xml(**rels_part, rels))
        return bad("xl/_rels/workbook.xml.rels is not well-formed XML");

    strings_handler strings;
    auto shared = r.part("xl/sharedStrings.xml");
    if (!shared) return unexpected(std::move(shared.error()));
    if (*shared && !parse_xml(**shared, strings))
        return bad("xl/sharedStrings.xml is not well-formed XML");

    std::vector<sheet> out;
    std::size_t n = 1;
    for (auto const& [name, id] : book.sheets) {
        auto it = rels.targets.find(id);
        std::string path = it != rels.targets.end()
                               ? resolve(it->second)
                               : "xl/worksheets/sheet" + std::to_string(n) + ".xml";
        ++n;
        auto text = r.part(path);
        if (!text) return unexpected(std::move(text.error()));
        if (!*text) return bad("sheet `" + name + "` is missing (" + path + ")");
        sheet s{name, {}};
        sheet_handler h{strings.strings, s};
        if (!parse_xml(**text, h))
            return fail(
                h.failed && h.why.find("cells") != std::string::npos ? "too-large" : "bad-xlsx",
                "sheet `" + name + "`: " + (h.why.empty() ? "not well-formed XML" : h.why),
                {.file = file});
        out.push_back(std::move(s));
    }
    return out;
}

}  // namespace candor::interop::detail
