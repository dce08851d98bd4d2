// Keys and the device's journal: the path of `candor submit` (examples/candor/submit.cpp).
#include "candor/journal/inspect.hpp"
#include "candor/journal/intake.hpp"
#include "candor/seal/keys.hpp"
#include "internal.hpp"

using namespace candor::c_api;
namespace journal = candor::journal;
namespace seal = candor::seal;

extern "C" {

candor_status candor_keys_make_hq(const char* dir) {
    return guarded([&] {
        CANDOR_REQUIRE(dir != nullptr, "dir is NULL");
        auto written = seal::write_hq_keys(dir, seal::make_hq_keys());
        if (!written) return fail(CANDOR_IO_ERROR, written.error());
        return CANDOR_OK;
    });
}

candor_status candor_keys_make_device(const char* device_id, const char* dir) {
    return guarded([&] {
        CANDOR_REQUIRE(dir != nullptr && device_id != nullptr, "NULL argument");
        CANDOR_REQUIRE(seal::valid_device_id(device_id),
                       "invalid device id (1 to 64 of A-Z a-z 0-9 . _ -)");
        auto written = seal::write_device_keys(dir, seal::make_device_keys(device_id));
        if (!written) return fail(CANDOR_IO_ERROR, written.error());
        return CANDOR_OK;
    });
}

candor_status candor_journal_open(const char* dir, const char* device_key_file,
                                  const char* hq_public_file, candor_journal** out) {
    return guarded([&] {
        CANDOR_REQUIRE(out != nullptr, "out is NULL");
        *out = nullptr;
        CANDOR_REQUIRE(dir && device_key_file && hq_public_file, "NULL argument");
        auto key = seal::read_device_secret(device_key_file);
        if (!key) return fail(CANDOR_IO_ERROR, key.error());
        auto hq = seal::read_hq_public(hq_public_file);
        if (!hq) return fail(CANDOR_IO_ERROR, hq.error());
        auto opened = journal::journal::open(dir, std::move(*key), *hq);
        if (!opened) return fail(CANDOR_IO_ERROR, opened.error());
        *out = new candor_journal{std::move(opened).value()};
        return CANDOR_OK;
    });
}

void candor_journal_free(candor_journal* j) { delete j; }

candor_status candor_journal_submit(candor_journal* j, const candor_survey* survey,
                                    const char* json, size_t length, uint64_t* seq, char* receipt,
                                    size_t* receipt_size, candor_problems** problems) {
    if (problems) *problems = nullptr;
    return guarded([&] {
        CANDOR_REQUIRE(j && survey && seq && receipt_size, "NULL argument");
        CANDOR_REQUIRE(json != nullptr || length == 0, "json is NULL");
        auto card = journal::intake(survey->value, std::string_view(json ? json : "", length),
                                    {j->value.device(), {}}, {"<response>", 1, 1});
        if (!card) {
            auto const& first = card.error().front().code;
            if (first == "json" || first == "response-shape")
                return fail(CANDOR_PARSE_ERROR, card.error());
            std::string text = "response rejected:";
            for (auto const& p : card.error())
                text += "\n  " + (p.where.field.empty() ? std::string("response") : p.where.field) +
                        ": " + p.message + " [" + p.code + "]";
            if (problems) *problems = new candor_problems{std::move(card).error()};
            return fail(CANDOR_REJECTED, std::move(text));
        }
        auto stamped = j->value.submit(std::span<journal::card const>(&*card, 1));
        if (!stamped) return fail(CANDOR_IO_ERROR, stamped.error());
        *seq = stamped->at(0).seq;
        return copy_out(stamped->at(0).receipt, receipt, receipt_size);
    });
}

candor_status candor_journal_last_seq(const candor_journal* j, uint64_t* seq) {
    CANDOR_REQUIRE(j && seq, "NULL argument");
    *seq = j->value.last_seq();
    return CANDOR_OK;
}

candor_status candor_journal_verify(const char* dir, size_t* errors) {
    return guarded([&] {
        CANDOR_REQUIRE(dir && errors, "NULL argument");
        auto contents = journal::inspect_journal(dir);
        std::size_t n = 0;
        for (auto const& p : contents.found)
            if (p.level == candor::severity::error) ++n;
        *errors = n;
        if (n != 0) fail(CANDOR_OK, contents.found);
        return CANDOR_OK;
    });
}

}  // extern "C"
