// Writes the golden format 2 journal of tests/data/journal-v2 (see its README): once, by
// hand; the tests only read what it wrote. Usage: journal_golden_v2 SURVEY OUT_DIR
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "candor/journal/intake.hpp"
#include "candor/journal/journal.hpp"
#include "candor/response/json.hpp"
#include "candor/seal/keys.hpp"
#include "candor/survey/parse.hpp"
#include "candor/time.hpp"

using namespace candor;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
    if (argc != 3) {
        std::cerr << "usage: journal_golden_v2 SURVEY OUT_DIR\n";
        return 2;
    }
    fs::path const out = argv[2];
    if (fs::exists(out / "seg-000001.cnj")) {
        std::cerr << out << " holds a journal already: the golden journal is never rewritten\n";
        return 2;
    }
    auto survey = survey::parse_file(argv[1]);
    if (!survey) {
        std::cerr << render(survey.error());
        return 2;
    }
    auto hq = seal::make_hq_keys();
    auto key = seal::make_device_keys("kiosk-golden2");
    fs::path const keys = out / "keys.tmp";
    fs::create_directories(keys);
    if (auto written = seal::write_hq_keys(keys, hq); !written) {
        std::cerr << render(written.error());
        return 2;
    }
    fs::copy_file(keys / "hq.key", out / "hq-secret.txt");
    fs::remove_all(keys);
    auto j = journal::journal::open(out, key, hq.public_part());
    if (!j) {
        std::cerr << render(j.error());
        return 2;
    }
    // Cards 1 and 4 without personal answers (format 1), the others with (format 2).
    std::vector<std::string> const contact{
        "", R"(,"contact_me":true,"email":"Anna.K@example.com")",
        R"(,"contact_me":true,"phone":"+33 1 45 67 89 10","email":"b@example.org")", "",
        R"(,"contact_me":true,"phone":"+49 30 1234567")"};
    std::ofstream contents(out / "contents.jsonl"), receipts(out / "receipts.txt");
    for (std::size_t i = 0; i < contact.size(); ++i) {
        auto text =
            R"({"survey":"hotel-stay","version":3,"language":"en","fields":{"site":"paris-01","device":"kiosk-golden2","channel":"kiosk","shift":"day"},"submitted":")" +
            format_timestamp(1793607372 + static_cast<std::int64_t>(i)) +
            R"(","answers":{"recommend":)" + std::to_string(i + 5) + R"(,"satisfaction":4)" +
            contact[i] + "}}";
        auto card = journal::intake(*survey, text, {key.id, {}});
        if (!card) {
            std::cerr << render(card.error());
            return 2;
        }
        auto stamped = j->submit(std::vector{*card});
        if (!stamped) {
            std::cerr << render(stamped.error());
            return 2;
        }
        contents << response::to_json(response::from_json(text).value()) << '\n';
        receipts << stamped->front().receipt << ' ' << stamped->front().seq << ' '
                 << (card->personal.empty() ? 1 : 2) << '\n';
    }
    return 0;
}
