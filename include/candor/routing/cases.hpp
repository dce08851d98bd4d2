// Cases: a card that needs action opens one, owned by one person. A case is open, then
// acknowledged (by whom, when), then resolved (with a note); its whole history is kept.
// A case not acknowledged by its deadline escalates to the role above, and again from
// there, until head office's fallback: the chain ends there and never loops.
// The log is append-only segments of CRC-checked frames (candor::journal's), synced on
// every write, so nothing acknowledged is lost in a crash and timers survive a restart:
// deadlines are times in the log, not timers in memory.
// Thread safety: a case log is used by one thread at a time (due() and the other const
// members only read it); its directory lock keeps a second opener, in this process or
// another, out. A case_reader takes no lock: any number may read beside the one writer, in
// this process or others, each used by one thread at a time. first_deadline() is a pure
// function.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "candor/error.hpp"
#include "candor/journal/segment.hpp"
#include "candor/routing/outbox.hpp"
#include "candor/routing/router.hpp"
#include "candor/routing/time.hpp"

namespace candor::routing {

enum class case_state : std::uint8_t { open, acknowledged, resolved };
std::string_view to_string(case_state s) noexcept;

struct case_event {
    timestamp time = 0;
    // opened, escalated, acknowledged, resolved, unacknowledged-at-top, replied, guest-wrote
    std::string what;
    std::string who;  // the people told, or who acknowledged, resolved or replied
    std::string note;
};

// One case per card that needs action. Its owner is the person the first matching rule's
// role resolves to; the other people told are watchers: they hear of it, they do not hold
// it. Escalation hands it to the role above, whose people become holders too: the owner
// and anyone it was escalated to may acknowledge and resolve it, watchers may not.
struct routed_case {
    std::string id;        // the response's key, DEVICE:SEQ: one case per card
    std::string response;  // the same key
    std::string site;
    std::string duty;         // the person named on duty in the response, never notified
    std::string owner;        // the person it is with now
    std::string role;         // the role it is with now
    std::string escalate_to;  // the rule's first escalation; the role's escalates-to otherwise
    std::vector<std::string> holders;   // who may act on it, in order; the owner among them
    std::vector<std::string> watchers;  // told of it, in copy
    std::vector<std::string> aliases;   // ids of before (RESPONSE/PERSON), in a migrated log
    std::uint32_t rule = no_rule;
    case_state state = case_state::open;
    timestamp opened = 0;
    timestamp deadline = 0;      // escalates when unacknowledged at this time; 0: no more
    timestamp acknowledged = 0;  // first acknowledged (or resolved, if never acknowledged)
    timestamp resolved = 0;
    duration within{1, duration_unit::business_days};
    std::vector<case_event> history;
    // The guest's address, when the card gave one (an answer to an e-mail question: the
    // survey asks for it from guests who want to be contacted), and the card's language.
    std::string guest;
    std::string language;
    timestamp replied = 0;  // when the guest was sent a reply; 0: never

    bool may_act(std::string_view person) const noexcept;   // a holder
    bool involves(std::string_view person) const noexcept;  // a holder or a watcher
};

// What a guest's status page shows of a card: received, read by management (when),
// answered (when). A card that opened no case (a digest item only) stays received.
enum class guest_state : std::uint8_t { received, read, answered };
std::string_view to_string(guest_state s) noexcept;
struct case_status {
    guest_state state = guest_state::received;
    timestamp received = 0;  // routed at head office; 0 in logs of before for digest-only cards
    timestamp read = 0;      // 0 until then
    timestamp answered = 0;
};

// A case due to escalate: the role above and the people now to be told. `to` is empty at
// the top of the chain (or when nobody above may hear it): the chain ends there.
struct escalation {
    std::string case_id;
    std::string role;
    std::vector<recipient> to;
    timestamp deadline = 0;  // the new deadline; 0 at the top
};

// When a new case for `x` about a response from `site` escalates if nobody acknowledges
// it: the rule's `escalate ... after`, else its `within`, else the org's deadline, counted
// in the site's business time.
timestamp first_deadline(router const& r, recipient const& x, std::string_view site, timestamp now);

// A response and what routing it decided, for opening its cases.
struct routed_response {
    std::string const& key;  // e.g. DEVICE:SEQ
    response::response const& response;
    decision const& decided;
};

// The id of the case a guest's mail that matched none opens: "mail:" and a hash of its
// Message-ID (the same mail, pulled again, is the same case).
std::string mail_case_id(std::string_view message_id);

class case_log {
  public:
    // Opens (creating) the log in DIR; a torn last frame from a crash is cut off.
    static result<case_log> open(std::filesystem::path const& dir,
                                 journal::segment_options options = {});
    case_log(case_log&&) noexcept;
    case_log& operator=(case_log&&) noexcept;
    ~case_log();

    // Opens one case per response that has a recipient other than digests, in one durable
    // write that also marks the responses routed: the first recipient owns it, the others
    // watch. Its deadline follows the owner's rule, in the site's business time. Returns
    // the cases opened. Logs of before (a case per recipient) are read as one case per card:
    // the first recipient's case becomes the case, its state the furthest any reached, and
    // everyone who held one of them may still act on it; find() knows the old ids.
    // `through`, when past the routed watermark, moves it there in the same write.
    std::vector<routed_case> open_cases(std::span<routed_response const> responses,
                                        router const& router, timestamp now,
                                        std::uint64_t through = 0);
    std::vector<routed_case> open_cases(std::string const& response_key,
                                        response::response const& r, decision const& d,
                                        router const& router, timestamp now);
    // Whether the response was routed. The writer answers from what it holds: the responses
    // routed since the last checkpoint and those with a case; the routed watermark answers
    // for the store's records up to it (a digest-only card routed before the checkpoint is
    // found by a case_reader, which reads the log's history).
    bool routed(std::string_view response_key) const;
    // The routed watermark: every record of the store up to this position (store order,
    // from 1) was routed, or skipped for good; a pass reads only the records after it.
    std::uint64_t routed_through() const noexcept;

    // Whether the log has grown enough since its last checkpoint to be worth another.
    bool checkpoint_due() const noexcept;
    // Writes a checkpoint (every case whole, the watermark, the mails taken) as the start of
    // a new generation of the log, made durable before it replaces the old one, so that
    // opening the log reads it and what followed instead of every event of all time. The
    // generations before stay, as its history: a case_reader reads them too.
    void checkpoint();

    // Only a holder (the owner, or someone it was escalated to) may acknowledge or resolve.
    result<void> acknowledge(std::string const& id, std::string const& who, timestamp now);
    result<void> resolve(std::string const& id, std::string const& who, std::string const& note,
                         timestamp now);
    // Resolves the case and answers the guest by e-mail: the reply is queued in `out` first
    // (under one key, so a retry after a crash queues it once), then the resolution is
    // recorded with it ("replied" in the history). "no-contact" when the guest left no
    // address; the other refusals as resolve(). The outbox sends it on its next send_due().
    result<void> resolve_with_reply(std::string const& id, std::string const& who,
                                    std::string const& note, std::string const& reply, outbox& out,
                                    timestamp now);

    // Mail in (inbound.hpp). Whether a mail of this Message-ID was taken already.
    bool has_mail(std::string_view message_id) const;
    // The guest's mail attached to case `id` ("guest-wrote" in its history, with the text),
    // which re-opens: open again, due to be acknowledged within its time from `now`.
    result<void> guest_mail(std::string const& id, std::string const& message_id,
                            std::string const& text, router const& router, timestamp now);
    // A case for a guest's mail that matched no case, at head office's fallback role, its
    // id "mail:" and a hash of the Message-ID; "no-fallback" when nobody holds that role.
    result<routed_case> open_from_mail(std::string const& message_id, std::string const& guest,
                                       std::string const& text, router const& router,
                                       timestamp now);
    // A mail recognised and not acted on (a bounce, an auto-reply): a later pull skips it.
    void mail_seen(std::string const& message_id, std::string const& what, timestamp now);

    // The open cases whose deadline has passed, and where each goes; nothing is written.
    std::vector<escalation> due(router const& router, timestamp now) const;
    // Where a holder passing case `id` up the chain now sends it, before its deadline (an
    // acknowledged case too); nothing is written: escalate() records it. Fails as
    // resolve(), or "at-top" when nobody above may receive it.
    result<escalation> passing_up(std::string const& id, std::string const& who,
                                  router const& router, timestamp now) const;
    // Records escalations (from due() or passing_up()) durably, with one write.
    void escalate(std::span<escalation const> escalations, router const& router, timestamp now);
    // due() then escalate(): returns the escalations that reached someone.
    std::vector<escalation> escalate_due(router const& router, timestamp now);

    std::vector<routed_case> const& cases() const noexcept;
    // By case id (the response's key) or an id of before (RESPONSE/PERSON).
    routed_case const* find(std::string_view id) const noexcept;
    // The guest's view of a card by its response key; nullopt when it was never routed.
    std::optional<case_status> status(std::string_view response_key) const;

  private:
    struct impl;
    explicit case_log(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

// The case log read beside its writer (`candor route run`, `candor cases`): head office's
// web server reads it for its status pages and its managers' desk. It reads every
// generation of the log (every card routed, for the status pages), takes no lock and
// writes nothing; refresh() reads the log again when its files have changed, so the
// reader sees every event the writer has made durable (a frame still being written is
// seen on a later refresh, once whole). A missing log holds no case yet.
class case_reader {
  public:
    // Reads the log in DIR. Fails as case_log::open when a frame is damaged.
    static result<case_reader> open(std::filesystem::path const& dir);
    case_reader(case_reader&&) noexcept;
    case_reader& operator=(case_reader&&) noexcept;
    ~case_reader();

    // Reads what was written since; on a failure the cases read before stay.
    result<void> refresh();

    std::vector<routed_case> const& cases() const noexcept;
    routed_case const* find(std::string_view id) const noexcept;
    std::optional<case_status> status(std::string_view response_key) const;

  private:
    struct impl;
    explicit case_reader(std::unique_ptr<impl> p);
    std::unique_ptr<impl> p_;
};

}  // namespace candor::routing
