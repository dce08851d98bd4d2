// Every way of tampering with a journal or a bundle is found, by `journal verify` on the
// device's journal and by head office's import on a bundle, naming device and card.
#include <doctest/doctest.h>

#include <algorithm>

#include "util/frame.hpp"
#include "candor/journal/inspect.hpp"
#include "candor/journal/store.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::journal;
using namespace candor::journal::testing;

namespace {

// A segment or bundle file cut into its header and its whole frames.
struct framed {
    seal::bytes header;
    std::vector<seal::bytes> frames;

    explicit framed(seal::byte_view file) : header(file.begin(), file.begin() + util::file_header_size) {
        auto scan = util::scan_frames(file.subspan(util::file_header_size));
        for (auto const& f : scan.frames) {
            auto begin = file.begin() + static_cast<std::ptrdiff_t>(util::file_header_size + f.offset);
            frames.emplace_back(begin, begin + static_cast<std::ptrdiff_t>(util::frame_overhead + f.payload.size()));
        }
    }
    seal::bytes join() const {
        auto out = header;
        for (auto const& f : frames) out.insert(out.end(), f.begin(), f.end());
        return out;
    }
};

struct scene {
    temp_dir dir;
    seal::hq_secret hq = seal::make_hq_keys();
    seal::device_secret a = seal::make_device_keys("kiosk-a");
    seal::device_secret b = seal::make_device_keys("kiosk-b");
    seal::device_list devices = list_of({&a, &b});
    fs::path seg = dir / "a" / "seg-000001.cnj";
    seal::bytes segment, bundle, b_segment, b_bundle;
    std::vector<record> originals;  // of both devices

    scene() {
        fill(dir / "a", a, hq.public_part(), 6);
        fill(dir / "b", b, hq.public_part(), 6, 100);
        segment = slurp(seg);
        b_segment = slurp(dir / "b" / "seg-000001.cnj");
        REQUIRE(export_bundle(dir / "a", 0, dir / "a.bundle"));
        REQUIRE(export_bundle(dir / "b", 0, dir / "b.bundle"));
        bundle = slurp(dir / "a.bundle");
        b_bundle = slurp(dir / "b.bundle");
        originals = inspect_journal(dir / "a").records;
        auto others = inspect_journal(dir / "b").records;
        originals.insert(originals.end(), others.begin(), others.end());
    }

    errors verify(seal::bytes const& tampered) {
        spit(seg, tampered);
        return inspect_journal(dir / "a", &devices).found;
    }

    // Imports into a new store; checks that nothing altered got in.
    import_report import(seal::bytes const& tampered) {
        temp_dir store_dir;
        auto s = open_test_store(store_dir.path()).value();
        auto report = s.import(std::vector{bundle_input{"a.bundle", tampered}}, devices, hq);
        s.for_each([&](record const& r) {
            CHECK(std::find(originals.begin(), originals.end(), r) != originals.end());
        });
        return report;
    }
};

bool names_card(errors const& found, std::string const& device) {
    return std::any_of(found.begin(), found.end(), [&](error const& p) {
        return p.where.device == device && p.where.seq != 0 && p.level == severity::error;
    });
}
bool names_card_in_message(errors const& found, std::string const& device) {
    return std::any_of(found.begin(), found.end(), [&](error const& p) {
        return p.where.device == device && p.message.find("card ") != std::string::npos;
    });
}

}  // namespace

TEST_CASE("tamper: the untampered journal and bundle are clean") {
    scene s;
    CHECK(s.verify(s.segment).empty());
    auto r = s.import(s.bundle);
    CHECK(r.found.empty());
    CHECK(r.accepted == 6);
}

TEST_CASE("tamper: one byte flipped anywhere") {
    scene s;
    for (std::size_t at = 0; at < s.segment.size(); ++at) {
        auto t = s.segment;
        t[at] ^= 0x01;
        auto found = s.verify(t);
        CAPTURE(at);
        REQUIRE_FALSE(found.empty());
        if (at >= util::file_header_size) CHECK(names_card(found, "kiosk-a"));
    }
    auto records_from = util::file_header_size + framed(s.bundle).frames[0].size();
    for (std::size_t at = 0; at < s.bundle.size(); at += 3) {
        auto t = s.bundle;
        t[at] ^= 0x01;
        auto r = s.import(t);
        CAPTURE(at);
        CHECK(r.refused_any());
        if (at < util::file_header_size)
            CHECK(has_code(r.found, "bad-bundle-header"));
        else if (at >= records_from)
            CHECK(names_card_in_message(r.found, "kiosk-a"));
    }
}

TEST_CASE("tamper: a record deleted") {
    scene s;
    for (std::size_t i = 0; i < 6; ++i) {
        framed seg(s.segment);
        seg.frames.erase(seg.frames.begin() + static_cast<std::ptrdiff_t>(i));
        auto found = s.verify(seg.join());
        CAPTURE(i);
        if (i < 5) {  // the last one gone looks like a journal one card shorter
            CHECK(has_code(found, "gap"));
            CHECK(names_card(found, "kiosk-a"));
        }
        framed b(s.bundle);
        b.frames.erase(b.frames.begin() + static_cast<std::ptrdiff_t>(i + 1));
        auto r = s.import(b.join());
        CHECK(r.refused_any());
        CHECK(has_code(r.found, "count-mismatch"));
        CHECK(r.accepted == 5);
        if (i < 5) CHECK(has_code(r.found, "gap"));
    }
}

TEST_CASE("tamper: two records swapped") {
    scene s;
    framed seg(s.segment);
    std::swap(seg.frames[1], seg.frames[3]);
    auto found = s.verify(seg.join());
    CHECK(has_code(found, "out-of-order"));
    CHECK(names_card(found, "kiosk-a"));

    framed b(s.bundle);
    std::swap(b.frames[2], b.frames[4]);
    auto r = s.import(b.join());
    CHECK(has_code(r.found, "out-of-order"));
    CHECK(r.accepted == 6);  // nothing is wrong with the cards themselves
}

TEST_CASE("tamper: a record of another device replayed") {
    scene s;
    framed seg(s.segment);
    framed other(s.b_segment);
    seg.frames.push_back(other.frames[3]);
    std::rotate(seg.frames.begin() + 3, seg.frames.end() - 1, seg.frames.end());
    auto found = s.verify(seg.join());
    CHECK(has_code(found, "foreign-record"));
    CHECK(names_card(found, "kiosk-b"));

    framed b(s.bundle);
    framed other_bundle(s.b_bundle);
    b.frames.push_back(other_bundle.frames[4]);
    std::rotate(b.frames.begin() + 4, b.frames.end() - 1, b.frames.end());
    auto r = s.import(b.join());
    CHECK(r.refused_any());
    CHECK(has_code(r.found, "foreign-record"));
    CHECK(names_card(r.found, "kiosk-b"));
    CHECK(r.accepted == 6);
}

TEST_CASE("tamper: cut short in the middle") {
    scene s;
    auto found = s.verify(seal::bytes(s.segment.begin(), s.segment.begin() + s.segment.size() / 2));
    CHECK(has_code(found, "torn-tail"));
    CHECK(names_card(found, "kiosk-a"));

    auto r = s.import(seal::bytes(s.bundle.begin(), s.bundle.begin() + s.bundle.size() / 2));
    CHECK(r.refused_any());
    CHECK(has_code(r.found, "truncated"));
    CHECK(names_card_in_message(r.found, "kiosk-a"));
}

TEST_CASE("tamper: two journals spliced") {
    scene s;
    framed seg(s.segment);
    framed other(s.b_segment);
    std::copy(other.frames.begin() + 3, other.frames.end(), seg.frames.begin() + 3);
    auto found = s.verify(seg.join());
    CHECK(has_code(found, "foreign-record"));
    CHECK(names_card(found, "kiosk-b"));

    framed b(s.bundle);
    framed ob(s.b_bundle);
    std::copy(ob.frames.begin() + 4, ob.frames.end(), b.frames.begin() + 4);
    auto r = s.import(b.join());
    CHECK(r.refused_any());
    CHECK(has_code(r.found, "foreign-record"));
    CHECK(r.accepted == 3);
}
