// Where a guest's card is handed in: what the page posts becomes a response only through
// the engine (journal::intake), and gets a receipt only once its keeper says it is durable.
// The page is never trusted: the survey, its version, the device fields and the time all
// come from the desk.
// Thread safety: one desk may be shared by every thread of a server: submit() may be called
// from several at once, and so may the keeper (keep_in's batches the cards of threads
// submitting together: journal::shared_journal).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "candor/error.hpp"
#include "candor/journal/intake.hpp"
#include "candor/journal/journal.hpp"
#include "candor/survey/survey.hpp"

namespace candor::kiosk {

// The deepest nesting of arrays and objects a posted body may have: the page's is 3
// ({"answers":{"amenities":[…]}}). Deeper bodies are refused before they are parsed (the
// JSON parser and printer recurse, and 70,000 levels overflow the stack).
inline constexpr std::size_t max_json_depth = 64;

// The answer to a submission: an HTTP status and a JSON body.
//   200 {"receipt":"…","seq":N,"signed_receipt":"…"}  durable; the signed receipt is the
//                                                      guest's proof (journal::check_receipt)
//   422 {"problems":[{"question","code","message"}]}   the guest has something to fix
//   400 {"error":"…"}                                  not a submission (or nested too deep)
//   503 {"error":"…","code":"disk-full"|"io"|…}        not kept; the guest may send it again
struct reply {
    int status = 200;
    std::string body;
};

// Where accepted cards are kept: the card's receipt once it is durable, or why it is not
// (then nothing of it was kept). A kiosk keeps them in its journal (keep_in); another
// server may keep them elsewhere. Called from several threads at once.
using card_keeper = std::function<result<journal::stamped>(journal::card const&)>;

// Keeps cards in `j`, which the keeper then owns, cards submitted together in one batch.
card_keeper keep_in(journal::journal j);

class desk {
  public:
    // `device` as journal::settle() completed it for `survey`.
    desk(survey::survey survey, journal::device_setting device, card_keeper keep);

    // `body` is {"language":"en","seconds":N,"answers":{…}}: the answers as in a response
    // (docs/response-format.md) and how long the guest took. `now` is Unix seconds.
    reply submit(std::string_view body, std::int64_t now);
    // The same with other device fields than the desk's (head office's server, whose link
    // names the site and table), `fields` as journal::settle() completed them.
    reply submit(std::string_view body, std::int64_t now, journal::device_setting const& fields);

    survey::survey const& survey() const noexcept { return survey_; }
    journal::device_setting const& device() const noexcept { return device_; }

  private:
    survey::survey survey_;
    journal::device_setting device_;
    card_keeper keep_;
};

}  // namespace candor::kiosk
