// The CSV reader: cells cut in place, typed straight into their columns.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "candor/stats/csv.hpp"
#include "candor/stats/weighting.hpp"
#include "candor/time.hpp"

using namespace candor::stats;

namespace {

template <class C>
C const& col(candor::result<frame> const& f, std::string_view name) {
    auto c = f->get<C>(name);
    REQUIRE(c.has_value());
    return **c;
}

std::vector<std::string> labels_of(category_column const& c) {
    std::vector<std::string> out;
    for (auto code : c.codes)
        out.push_back(code == missing_code ? "-" : c.labels[static_cast<std::size_t>(code)]);
    return out;
}

}  // namespace

TEST_CASE("CSV: quoted cells keep commas, quotes and line breaks, lines still count") {
    auto f = parse_csv(
        "id,comment\n"
        "1,\"first line\nsecond, line\"\n"
        "2,\"\"\"quoted\"\" and \"\"\"\"\"\n"
        "3,\"\"\n"
        "4,\"'=SUM(A1)\"\n");
    REQUIRE(f.has_value());
    CHECK(labels_of(col<category_column>(f, "comment")) ==
          std::vector<std::string>{"first line\nsecond, line", "\"quoted\" and \"\"", "-",
                                   "=SUM(A1)"});

    // The bad row is on line 4: the quoted line break before it counts.
    auto bad = parse_csv("a,b\n1,\"x\ny\"\n2\n", {}, "q.csv");
    REQUIRE(!bad.has_value());
    CHECK(bad.error()[0].code == "csv-width");
    CHECK(bad.error()[0].where.line == 4);
    auto after = parse_csv("a,b\n1,\"x\ny\"z\n");
    REQUIRE(!after.has_value());
    CHECK(after.error()[0].code == "csv-syntax");
    CHECK(after.error()[0].where.line == 3);
}

TEST_CASE("CSV: CRLF, bare CR, blank lines and no final line break read alike") {
    std::string lf = "site,nps,when\nlyon,9,2026-11-02T10:16:12Z\n\nnice,,2026-11-03\n";
    std::string crlf = "site,nps,when\r\nlyon,9,2026-11-02T10:16:12Z\r\n\r\nnice,,2026-11-03";
    std::string cr = "site,nps,when\rlyon,9,2026-11-02T10:16:12Z\r\rnice,,2026-11-03\r";
    for (auto const& text : {lf, crlf, cr}) {
        CAPTURE(text);
        auto f = parse_csv(text);
        REQUIRE(f.has_value());
        CHECK(f->rows() == 2);
        CHECK(col<category_column>(f, "site").labels == std::vector<std::string>{"lyon", "nice"});
        CHECK(col<scale_column>(f, "nps").values[1] == missing_scale);
        CHECK(col<time_column>(f, "when").seconds[1] == *candor::parse_date("2026-11-03"));
    }
    auto bad = parse_csv("a,b\r\n1,2\r\n3\r\n", {}, "crlf.csv");
    REQUIRE(!bad.has_value());
    CHECK(bad.error()[0].where.line == 3);
}

TEST_CASE("CSV: empty cells are missing in every kind, an empty column is a category") {
    csv_options opt{{{"n", column_kind::number}, {"s", column_kind::set}}, nullptr, {}};
    auto f = parse_csv("k,n,t,c,s,e\n1,,2026-11-02,x,a;b,\n,2.5,,,,\n", opt);
    REQUIRE(f.has_value());
    CHECK(col<scale_column>(f, "k").values[1] == missing_scale);
    CHECK(std::isnan(col<number_column>(f, "n").values[0]));
    CHECK(col<time_column>(f, "t").seconds[1] == missing_time);
    CHECK(col<category_column>(f, "c").codes[1] == missing_code);
    CHECK(col<set_column>(f, "s").sets[0] == 3);
    CHECK(col<set_column>(f, "s").sets[1] == missing_set);
    auto const& e = col<category_column>(f, "e");
    CHECK(e.labels.empty());
    CHECK((e.codes == missing_code).all());
}

TEST_CASE("CSV: a late cell that does not fit widens the inferred kind of its whole column") {
    std::string text = "a,b,c,d\n";
    for (int i = 0; i < 50; ++i)
        text += std::to_string(i % 11) + "," + std::to_string(i) + ",2026-11-02,7\n";
    text += "1.5,200,\"said \"\"no\"\"\",x\n";
    auto f = parse_csv(text);
    REQUIRE(f.has_value());
    auto const& a = col<number_column>(f, "a");
    CHECK(a.values[3] == 3.0);
    CHECK(a.values[50] == 1.5);
    CHECK(col<number_column>(f, "b").values[50] == 200.0);  // past a scale's range
    auto const& c = col<category_column>(f, "c");
    CHECK(c.labels == std::vector<std::string>{"2026-11-02", "said \"no\""});
    CHECK(c.codes[49] == 0);
    CHECK(c.codes[50] == 1);
    auto const& d = col<category_column>(f, "d");
    CHECK(d.labels == std::vector<std::string>{"7", "x"});

    // Numbers, then a date: no kind but category holds both.
    auto mixed = parse_csv("m\n3\n2026-11-02\n");
    REQUIRE(mixed.has_value());
    CHECK(col<category_column>(mixed, "m").labels == std::vector<std::string>{"2026-11-02", "3"});
}

TEST_CASE("CSV: problems come column by column, at most 100 of the cells") {
    csv_options opt{{{"a", column_kind::number}, {"b", column_kind::time}}, nullptr, {}};
    auto f = parse_csv("a,b\nx,y\n1,2026-11-02\nz,w\n", opt, "p.csv");
    REQUIRE(!f.has_value());
    REQUIRE(f.error().size() == 4);
    CHECK(f.error()[0].code == "not-a-number");
    CHECK(f.error()[0].where.line == 2);
    CHECK(f.error()[1].where.line == 4);
    CHECK(f.error()[2].code == "not-a-time");
    CHECK(f.error()[2].message == "column 'b': 'y' is not a timestamp or a YYYY-MM-DD date");
    CHECK(f.error()[3].where.line == 4);

    std::string many = "a,b\n";
    for (int i = 0; i < 150; ++i) many += "x,y\n";
    auto capped = parse_csv(many, opt);
    REQUIRE(!capped.has_value());
    CHECK(capped.error().size() == 100);
    CHECK(capped.error().back().code == "not-a-number");

    // Refusals of the header or of widths stand alone; bad syntax anywhere comes first.
    auto header = parse_csv("a,a\n1\n", opt);
    REQUIRE(header.error().size() == 1);
    CHECK(header.error()[0].code == "csv-header");
    auto widths = parse_csv("a,b\nx\n1,2,3\nz,w\n", opt);
    REQUIRE(widths.error().size() == 2);
    CHECK(widths.error()[1].message == "this row has 3 cells, the header 2");
    CHECK(parse_csv("a,b\nx\n1,\"2\n", opt).error()[0].code == "csv-syntax");

    std::string options = "s\n";
    for (int i = 0; i < 64; ++i) options.append("o").append(std::to_string(i)).append("\n");
    auto sets = parse_csv(options, {{{"s", column_kind::set}}, nullptr, {}});
    REQUIRE(!sets.has_value());
    CHECK(sets.error()[0].code == "too-many-options");
}

TEST_CASE("CSV: random cells survive quoting, CRLF and line breaks, from a file too") {
    std::mt19937 rng(7);
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
    std::vector<std::string> words{"lyon",   "a, b", "say \"hi\"", "two\nlines", "'=1+1",
                                   "x\r\ny", ""};
    std::vector<int> scale;
    std::vector<double> number;
    std::vector<std::int64_t> time;
    std::vector<std::string> text;
    std::string csv = "scale,number,time,text\r\n";
    // Appends s to csv, quoted when it must be or by chance (appends dodge a g++ 12 false
    // -Wrestrict on string +).
    auto put = [&](std::string const& s, char const* after) {
        if (s.find_first_of(",\"\r\n") != std::string::npos || pick(2)) {
            csv += '"';
            for (char ch : s) csv.append(ch == '"' ? 2 : 1, ch);
            csv += '"';
        } else {
            csv += s;
        }
        csv += after;
    };
    for (int i = 0; i < 2000; ++i) {
        scale.push_back(pick(12) - 1);
        number.push_back(pick(4) ? pick(100000) / 64.0 : std::nan(""));
        time.push_back(pick(5) ? 1'790'000'000 + pick(1'000'000) : missing_time);
        text.push_back(words[static_cast<std::size_t>(pick(static_cast<int>(words.size())))]);
        put(scale.back() < 0 ? "" : std::to_string(scale.back()), ",");
        put(std::isnan(number.back()) ? "" : std::to_string(number.back()), ",");
        put(time.back() == missing_time ? "" : candor::format_timestamp(time.back()), ",");
        put(text.back(), pick(2) ? "\r\n" : "\n");
    }
    auto dir = std::filesystem::temp_directory_path() /
               ("candor-csv-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir);
    { std::ofstream(dir / "random.csv", std::ios::binary) << csv; }
    auto f = read_csv((dir / "random.csv").string());
    std::filesystem::remove_all(dir);
    REQUIRE(f.has_value());
    REQUIRE(f->rows() == 2000);
    auto const& s = col<scale_column>(f, "scale");
    auto const& n = col<number_column>(f, "number");
    auto const& t = col<time_column>(f, "time");
    auto const& c = col<category_column>(f, "text");
    for (Eigen::Index i = 0; i < 2000; ++i) {
        auto k = static_cast<std::size_t>(i);
        CAPTURE(i);
        CHECK(s.values[i] == (scale[k] < 0 ? missing_scale : scale[k]));
        CHECK((std::isnan(number[k]) ? std::isnan(n.values[i]) : n.values[i] == number[k]));
        CHECK(t.seconds[i] == time[k]);
        auto want = text[k] == "'=1+1" ? "=1+1" : text[k];
        CHECK((want.empty() ? c.codes[i] == missing_code
                            : c.labels[static_cast<std::size_t>(c.codes[i])] == want));
    }
}

TEST_CASE("margins files read through the same cutter") {
    auto m = parse_margin("value,count\r\n\"Lyon, FR\",3\r\nnice,1\r\n", "site");
    REQUIRE(m.has_value());
    REQUIRE(m->targets.size() == 2);
    CHECK(m->targets[0].first == "Lyon, FR");
    CHECK(parse_margin("a,\"1\n", "site").error()[0].code == "csv-syntax");
}

TEST_CASE("CSV: a wide file is read with its columns found by name, a wider one is refused") {
    // As wide as allowed: every column found by its name, holding its own cells.
    constexpr std::size_t wide = max_csv_columns;
    // "c" + j (g++ 12 warns falsely on "literal" + std::to_string under -O3).
    auto name = [](std::size_t j) {
        char buf[32];
        return std::string(buf,
                           static_cast<std::size_t>(std::snprintf(buf, sizeof buf, "c%zu", j)));
    };
    std::string header, row;
    for (std::size_t j = 0; j < wide; ++j) {
        if (j) header += ',', row += ',';
        header += name(j);
        row += std::to_string(j % 100);
    }
    auto f = parse_csv(header + "\n" + row + "\n" + row + "\n");
    REQUIRE(f.has_value());
    REQUIRE(f->size() == wide);
    for (std::size_t j = 0; j < wide; j += 997) {
        auto c = f->get<scale_column>(name(j));
        REQUIRE(c.has_value());
        CHECK((*c)->values[1] == static_cast<std::int8_t>(j % 100));
        CHECK(f->names()[j] == name(j));
    }
    CHECK(f->find(name(wide)) == nullptr);
    CHECK(f->get<scale_column>("c").error()[0].code == "unknown-column");

    // One column more is refused at the header, before any row is read: the rows here
    // are not even CSV.
    auto wider = parse_csv(header + ",extra\n\"unclosed\n", {}, "wide.csv");
    REQUIRE(!wider.has_value());
    REQUIRE(wider.error().size() == 1);
    CHECK(wider.error()[0].code == "too-many-columns");
    CHECK(wider.error()[0].where.file == "wide.csv");
    CHECK(wider.error()[0].where.line == 1);
    CHECK(wider.error()[0].message.find(std::to_string(max_csv_columns)) != std::string::npos);
}

TEST_CASE("CSV: NPS, CSAT and CES named in the options are checked against their scales") {
    csv_options opt;
    opt.scales = {{"rec", nps_scale}, {"sat", csat_scale}, {"effort", ces_scale}};
    auto ok = parse_csv("rec,sat,effort\n0,1,7\n10,5,1\n,,\n", opt);
    REQUIRE(ok.has_value());
    auto const& rec = col<scale_column>(ok, "rec");
    CHECK(rec.lo == 0);
    CHECK(rec.hi == 10);
    CHECK(col<scale_column>(ok, "effort").hi == 7);
    CHECK(rec.values[2] == missing_scale);

    // Each value off its scale is an error at its line; without the options they are data.
    std::string text = "rec,sat,effort\n11,3,4\n-5,3,4\n127,9,8\n9,0,0\n";
    auto bad = parse_csv(text, opt, "cards.csv");
    REQUIRE(!bad.has_value());
    std::vector<std::pair<std::uint32_t, std::string>> where;
    for (auto const& e : bad.error()) {
        CHECK(e.code == "out-of-range");
        CHECK(e.where.file == "cards.csv");
        where.emplace_back(e.where.line, e.message.substr(0, e.message.find(':')));
    }
    using lines = std::vector<std::pair<std::uint32_t, std::string>>;
    CHECK(where == lines{{2, "column 'rec'"},
                         {3, "column 'rec'"},
                         {4, "column 'rec'"},
                         {4, "column 'sat'"},
                         {5, "column 'sat'"},
                         {4, "column 'effort'"},
                         {5, "column 'effort'"}});
    CHECK(bad.error()[0].message.find("outside the scale 0..10") != std::string::npos);
    CHECK(candor::render(bad.error()[0]).rfind("cards.csv:2:", 0) == 0);
    auto inferred = parse_csv(text);
    REQUIRE(inferred.has_value());
    CHECK(col<scale_column>(inferred, "rec").hi == 127);
    // The options win over the kinds and the survey.
    opt.kinds = {{"rec", column_kind::category}};
    CHECK(!parse_csv(text, opt).has_value());
}

TEST_CASE("CSV: columns that widen late, many of them, keep every earlier cell") {
    // Column j holds integers up to row j % 40, then decimals, then text from row 45: each
    // widens twice, at its own rows, and ends a category of its cells as written.
    constexpr std::size_t columns = 3000;
    auto cell = [](std::size_t r, std::size_t j) {
        if (r < j % 40) return std::to_string(r);
        if (r < 45) return std::to_string(r) + ".5";
        return std::string(r % 2 ? "x" : "");
    };
    auto csv = [&](std::size_t rows) {
        std::string text;
        for (std::size_t j = 0; j < columns; ++j) {
            if (j) text += ',';
            text += 'c';
            text += std::to_string(j);
        }
        text += '\n';
        for (std::size_t r = 0; r < rows; ++r) {
            for (std::size_t j = 0; j < columns; ++j) {
                if (j) text += ',';
                text += cell(r, j);
            }
            text += '\n';
        }
        return text;
    };
    auto name = [](std::size_t j) {
        std::string n = "c";
        return n += std::to_string(j);
    };
    auto f = parse_csv(csv(50));
    REQUIRE(f.has_value());
    for (std::size_t j = 0; j < columns; j += 7) {
        auto const& c = col<category_column>(f, name(j));
        for (std::size_t r = 0; r < 50; ++r) {
            auto want = cell(r, j);
            auto code = c.codes[static_cast<Eigen::Index>(r)];
            CHECK((want.empty() ? code == missing_code
                                : c.labels[static_cast<std::size_t>(code)] == want));
        }
    }
    // Without the text rows each column ends a number column, its integers as numbers.
    auto numbers = parse_csv(csv(45));
    REQUIRE(numbers.has_value());
    for (std::size_t j : {0, 1, 39, 2999}) {
        auto const& c = col<number_column>(numbers, name(j));
        for (std::size_t r = 0; r < 45; ++r)
            CHECK(c.values[static_cast<Eigen::Index>(r)] ==
                  static_cast<double>(r) + (r < j % 40 ? 0 : 0.5));
    }
}

namespace {

// The same columns, kinds, labels and cells, bit for bit.
bool same_frame(frame const& a, frame const& b) {
    if (a.names() != b.names() || a.rows() != b.rows()) return false;
    auto bytes = [](auto const& x, auto const& y) {
        return x.size() == y.size() &&
               std::memcmp(x.data(), y.data(),
                           static_cast<std::size_t>(x.size()) * sizeof(*x.data())) == 0;
    };
    for (std::size_t j = 0; j < a.size(); ++j) {
        auto const &x = a.at(j), &y = b.at(j);
        if (x.index() != y.index()) return false;
        bool same = std::visit(
            [&]<class C>(C const& c) {
                auto const& d = std::get<C>(y);
                if constexpr (std::is_same_v<C, scale_column>)
                    return bytes(c.values, d.values) && c.lo == d.lo && c.hi == d.hi;
                else if constexpr (std::is_same_v<C, number_column>)
                    return bytes(c.values, d.values);
                else if constexpr (std::is_same_v<C, time_column>)
                    return bytes(c.seconds, d.seconds);
                else if constexpr (std::is_same_v<C, category_column>)
                    return bytes(c.codes, d.codes) && c.labels == d.labels;
                else
                    return bytes(c.sets, d.sets) && c.labels == d.labels;
            },
            x);
        if (!same) return false;
    }
    return true;
}

// About 3 MB of records whose columns type differently in each third: labels first seen in
// another order, integers then decimals, integers then words, a column empty until late
// times, quoted cells with commas and line breaks, CRLF, blank lines.
std::string sliced_file(int rows, std::string const& extra = "") {
    std::mt19937 rng(17);
    std::string out = "site,n,late_number,late_word,late_time,s,note,rating\r\n";
    char const* sites[] = {"lyon", "nice", "paris", "brest", "metz"};
    for (int i = 0; i < rows; ++i) {
        bool late = i > rows * 2 / 3;
        out += sites[late ? 4 - i % 5 : rng() % 3];
        out += ',' + std::to_string(rng() % 200) + ',';
        out += late ? std::to_string(rng() % 100) + ".5," : std::to_string(rng() % 100) + ',';
        out += late && i % 7 == 0 ? "many," : std::to_string(rng() % 9) + ',';
        out += late && i % 3 == 0 ? "2026-11-0" + std::to_string(1 + i % 9) + "," : ",";
        out += i % 4 == 0 ? "" : i % 4 == 1 ? "spa" : late ? "bar;gym" : "spa;pool";
        out += i % 11 == 0 ? ",\"a, b\r\nand \"\"c\"\"\"," : ",plain,";
        out += late ? std::to_string(-3 + static_cast<int>(rng() % 4)) : std::to_string(rng() % 6);
        out += i == rows / 2 ? extra : "";
        out += i % 1000 == 0 ? "\r\n\r\n" : "\r\n";
    }
    return out;
}

}  // namespace

TEST_CASE("CSV: a large file typed in slices on 2 or 7 threads is the frame of one thread") {
    csv_options one{{{"s", column_kind::set}}, nullptr, {}};
    one.threads = 1;
    auto seven = one, two = one;
    seven.threads = 7, two.threads = 2;
    auto text = sliced_file(100'000);
    REQUIRE(text.size() > 3 * min_csv_slice_bytes);
    auto want = parse_csv(text, one, "big.csv");
    REQUIRE(want.has_value());
    CHECK(want->rows() == 100'000);
    CHECK(kind_of(*want->find("late_number")) == column_kind::number);
    CHECK(kind_of(*want->find("late_word")) == column_kind::category);
    CHECK(kind_of(*want->find("late_time")) == column_kind::time);
    CHECK(col<scale_column>(want, "rating").lo == -3);
    CHECK(col<category_column>(want, "note").labels.size() == 2);
    CHECK(same_frame(*want, *parse_csv(text, two, "big.csv")));
    CHECK(same_frame(*want, *parse_csv(text, seven, "big.csv")));

    // A stray quote in an unquoted cell misleads the slicing: read again as one slice.
    auto stray = sliced_file(100'000, "x\"y");
    stray.replace(stray.find("plain", 100), 5, "5\" tv");
    auto stray_one = parse_csv(stray, one, "big.csv");
    auto stray_seven = parse_csv(stray, seven, "big.csv");
    REQUIRE(stray_one.has_value() == stray_seven.has_value());
    if (stray_one) CHECK(same_frame(*stray_one, *stray_seven));

    // Problems late in the file are at the same lines, in the same order.
    csv_options strict = one;
    strict.kinds.emplace_back("n", column_kind::scale);
    strict.scales.emplace_back("rating", scale_ends{0, 5});
    auto bad_one = parse_csv(text, strict, "big.csv");
    strict.threads = 7;
    auto bad_seven = parse_csv(text, strict, "big.csv");
    REQUIRE(!bad_one.has_value());
    REQUIRE(!bad_seven.has_value());
    REQUIRE(bad_one.error().size() == bad_seven.error().size());
    CHECK(bad_one.error().size() == 100);
    for (std::size_t k = 0; k < bad_one.error().size(); ++k) {
        CHECK(bad_one.error()[k].where.line == bad_seven.error()[k].where.line);
        CHECK(bad_one.error()[k].message == bad_seven.error()[k].message);
    }
    // A width error past the middle, at its line whichever thread read it.
    auto wide = text;
    auto cut = wide.find("\r\n", wide.size() * 5 / 6);
    wide.insert(cut, ",extra");
    auto w1 = parse_csv(wide, one, "big.csv"), w7 = parse_csv(wide, seven, "big.csv");
    REQUIRE(!w1.has_value());
    REQUIRE(!w7.has_value());
    CHECK(w1.error()[0].code == "csv-width");
    CHECK(w1.error()[0].where.line == w7.error()[0].where.line);
    CHECK(w1.error()[0].where.line ==
          1 + static_cast<std::uint32_t>(std::count(wide.begin(), wide.begin() + cut, '\n')));
}

TEST_CASE("CSV: only the columns asked for are typed, each as it is read whole") {
    csv_options all{{{"s", column_kind::set}}, nullptr, {}};
    all.threads = 2;
    auto text = sliced_file(100'000);
    auto whole = parse_csv(text, all, "big.csv");
    REQUIRE(whole.has_value());
    auto some = all;
    some.columns = {"rating", "late_word", "site", "not_in_the_file"};
    auto part = parse_csv(text, some, "big.csv");
    REQUIRE(part.has_value());
    // In the file's order, absent names ignored, each column the same bits as read whole.
    CHECK(part->names() == std::vector<std::string>{"site", "late_word", "rating"});
    frame expected;
    for (auto const& name : part->names()) expected.add(name, *whole->find(name));
    CHECK(same_frame(expected, *part));
    // Cells of a column not read are never refused; the file's widths and syntax still are.
    auto strict = some;
    strict.scales.emplace_back("n", scale_ends{0, 5});
    CHECK(parse_csv(text, strict, "big.csv").has_value());
    strict.columns.push_back("n");
    CHECK_FALSE(parse_csv(text, strict, "big.csv").has_value());
    auto wide = text;
    wide.insert(wide.find("\r\n", wide.size() / 2), ",extra");
    auto w = parse_csv(wide, some, "big.csv");
    REQUIRE_FALSE(w.has_value());
    CHECK(w.error()[0].code == "csv-width");
}
