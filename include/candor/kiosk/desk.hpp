// Where a guest's card is handed in: what the page posts becomes a response only through
// the engine (journal::intake), and gets a receipt only once it is sealed, signed and
// durable in the journal. The page is never trusted: the survey, its version, the device
// fields and the time all come from the kiosk.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "candor/journal/intake.hpp"
#include "candor/journal/journal.hpp"
#include "candor/error.hpp"
#include "candor/survey/survey.hpp"

namespace candor::kiosk {

// The answer to a submission: an HTTP status and a JSON body.
//   200 {"receipt":"…","seq":N}                       durable
//   422 {"problems":[{"question","code","message"}]}   the guest has something to fix
//   400 {"error":"…"}                                  not a submission at all
//   503 {"error":"…"}                                  the journal could not be written
struct reply {
    int status = 200;
    std::string body;
};

class desk {
  public:
    // `device` as journal::settle() completed it for `survey`.
    desk(survey::survey survey, journal::device_setting device, journal::journal journal);

    // `body` is {"language":"en","seconds":N,"answers":{…}}: the answers as in a response
    // (docs/response-format.md) and how long the guest took. `now` is Unix seconds.
    reply submit(std::string_view body, std::int64_t now);

    survey::survey const& survey() const noexcept { return survey_; }
    journal::device_setting const& device() const noexcept { return device_; }

  private:
    survey::survey survey_;
    journal::device_setting device_;
    std::mutex journal_mutex_;  // one writer: cards are chained in the order written
    journal::journal journal_;
};

}  // namespace candor::kiosk
