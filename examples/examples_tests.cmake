# The `candor` tool on the bundled samples: each command must do what the guide says.
set(_surveys ${PROJECT_SOURCE_DIR}/examples/surveys)
add_test(NAME cli_check_samples COMMAND candor_cli check ${_surveys}/hotel-stay.survey
         ${_surveys}/restaurant-table.survey ${_surveys}/support-followup.survey)
set_tests_properties(cli_check_samples PROPERTIES
  PASS_REGULAR_EXPRESSION "hotel-stay.survey: ok: survey \"hotel-stay\" version 3, 13 questions")
add_test(NAME cli_check_broken COMMAND candor_cli check ${PROJECT_SOURCE_DIR}/tests/data/broken.survey)
set_tests_properties(cli_check_broken PROPERTIES WILL_FAIL ON)
add_test(NAME cli_check_broken_output COMMAND candor_cli check ${PROJECT_SOURCE_DIR}/tests/data/broken.survey)
set_tests_properties(cli_check_broken_output PROPERTIES
  PASS_REGULAR_EXPRESSION "broken.survey:5:16: error: expected ':' \\[syntax\\]")
foreach(s hotel-stay restaurant-table support-followup)
  add_test(NAME cli_validate_${s} COMMAND candor_cli validate --survey ${_surveys}/${s}.survey
           ${_surveys}/${s}.responses.jsonl)
  set_tests_properties(cli_validate_${s} PROPERTIES PASS_REGULAR_EXPRESSION " accepted, 0 rejected")
endforeach()
add_test(NAME cli_validate_bad COMMAND candor_cli validate --survey ${_surveys}/hotel-stay.survey
         ${_surveys}/hotel-stay.bad-responses.jsonl)
set_tests_properties(cli_validate_bad PROPERTIES WILL_FAIL ON)
add_test(NAME cli_validate_bad_output COMMAND candor_cli validate --survey ${_surveys}/hotel-stay.survey
         ${_surveys}/hotel-stay.bad-responses.jsonl)
set_tests_properties(cli_validate_bad_output PROPERTIES
  PASS_REGULAR_EXPRESSION "0 accepted, 8 rejected")
add_test(NAME cli_export_csv COMMAND candor_cli export --csv --survey ${_surveys}/hotel-stay.survey
         ${_surveys}/hotel-stay.responses.jsonl)
set_tests_properties(cli_export_csv PROPERTIES
  PASS_REGULAR_EXPRESSION "hotel-stay,3,fr,2026-11-02T23:40:05Z,2026-11-02T23:35:10Z,paris-01,kiosk-1,kiosk,night,,3,2,6")
add_test(NAME cli_fmt COMMAND candor_cli fmt ${_surveys}/support-followup.survey)
set_tests_properties(cli_fmt PROPERTIES
  PASS_REGULAR_EXPRESSION "question effort: ces required \"How easy")


# The journal end to end, shell-free: keys, submit on a device, verify, export, import at
# head office twice (the second adds nothing), open the responses. Each step is a fixture
# of the next, so `ctest -R candor_journal` runs them in order.
set(_jd ${CMAKE_CURRENT_BINARY_DIR}/journal-e2e)
set(_jprev "")
function(candor_journal_step name pass)
  add_test(NAME candor_journal_${name} COMMAND ${ARGN})
  set_tests_properties(candor_journal_${name} PROPERTIES FIXTURES_SETUP candor_journal_${name})
  if(_jprev)
    set_tests_properties(candor_journal_${name} PROPERTIES FIXTURES_REQUIRED candor_journal_${_jprev})
  endif()
  if(pass)
    set_tests_properties(candor_journal_${name} PROPERTIES PASS_REGULAR_EXPRESSION "${pass}")
  endif()
  set(_jprev ${name} PARENT_SCOPE)
endfunction()
candor_journal_step(clean "" ${CMAKE_COMMAND} -E rm -rf ${_jd})
candor_journal_step(keys_hq "" candor_cli keys hq --out ${_jd}/hq)
candor_journal_step(keys_device "" candor_cli keys device --id kiosk-3 --out ${_jd}/device)
candor_journal_step(submit "^[0-9A-Z]+-[0-9A-Z]+ 1\n[0-9A-Z]+-[0-9A-Z]+ 2\n$"
  candor_cli submit --survey ${PROJECT_SOURCE_DIR}/examples/surveys/hotel-stay.survey
  --journal ${_jd}/journal --device-key ${_jd}/device/kiosk-3.key --hq-public ${_jd}/hq/hq.pub
  ${PROJECT_SOURCE_DIR}/tests/data/journal-cli/hotel-stay.jsonl)
candor_journal_step(verify "2 records of device kiosk-3, verified" candor_cli journal verify ${_jd}/journal)
candor_journal_step(export "exported 2 records \\(1-2\\)"
  candor_cli journal export ${_jd}/journal --after 0 --out ${_jd}/kiosk-3.bundle)
candor_journal_step(import "2 accepted, 0 already had, 0 refused"
  candor_cli hq import --store ${_jd}/store --hq-key ${_jd}/hq/hq.key
  --devices ${_jd}/device/kiosk-3.pub ${_jd}/kiosk-3.bundle)
candor_journal_step(import_again "0 accepted, 2 already had, 0 refused"
  candor_cli hq import --store ${_jd}/store --hq-key ${_jd}/hq/hq.key
  --devices ${_jd}/device/kiosk-3.pub ${_jd}/kiosk-3.bundle)
candor_journal_step(responses "the night manager"
  candor_cli hq responses --store ${_jd}/store --hq-key ${_jd}/hq/hq.key)
# Routing the two cards at head office: the unhappy one opens a case for the site manager,
# escalates when nobody acknowledges it, and only its holders (owner, escalation) may act on it.
set(_route candor_cli route run --org ${PROJECT_SOURCE_DIR}/examples/org/hotel-chain.org
  --rules ${PROJECT_SOURCE_DIR}/examples/org/hotel-stay.rules
  --survey ${PROJECT_SOURCE_DIR}/examples/surveys/hotel-stay.survey --store ${_jd}/store --hq-key ${_jd}/hq/hq.key)
candor_journal_step(route_run "routed 2 responses \\(0 routed before\\): 1 cases opened, 2 digest items"
  ${_route} --now 2026-11-03T09:00:00Z)
candor_journal_step(route_run_again "routed 0 responses \\(2 routed before\\)" ${_route} --now 2026-11-03T09:05:00Z)
candor_journal_step(cases_list "kiosk-3:2 +open +paris-01 +site_manager +marie +due 2026-11-04T09:00:00Z\n1 cases"
  candor_cli cases list --store ${_jd}/store --now 2026-11-03T10:00:00Z)
candor_journal_step(cases_ack_front_line "hugo does not hold case kiosk-3:2"
  candor_cli cases ack kiosk-3:2 --by hugo --store ${_jd}/store)
candor_journal_step(route_escalate "escalated 1 cases" ${_route} --now 2026-11-04T09:00:00Z)
candor_journal_step(cases_show "escalated +anne +\\(regional_director\\)"
  candor_cli cases show kiosk-3:2 --store ${_jd}/store)
candor_journal_step(cases_ack "acknowledged by anne"
  candor_cli cases ack kiosk-3:2 --by anne --store ${_jd}/store --now 2026-11-04T10:00:00Z)
candor_journal_step(cases_resolve "resolved by anne"
  candor_cli cases resolve kiosk-3:2 --by anne --note "called the guest" --store ${_jd}/store)
candor_journal_step(cases_resolved_list "kiosk-3:2 +resolved"
  candor_cli cases list --store ${_jd}/store --state all)
# candor stats on a small export: the NPS worked out independently (83 answers, -14.46).
set(_stats_csv ${PROJECT_SOURCE_DIR}/examples/data/stats-sample.csv)
add_test(NAME cli-stats-nps-json COMMAND candor_cli stats ${_stats_csv} --nps rec --csat sat --json)
set_tests_properties(cli-stats-nps-json PROPERTIES
  PASS_REGULAR_EXPRESSION "\"score\": -14\\.4578313253012")
# Wald's interval by --interval wald; by default Rocks's adjusted-Wald, not centred on the score.
add_test(NAME cli-stats-by-site COMMAND candor_cli stats ${_stats_csv} --nps rec --by site --interval wald)
set_tests_properties(cli-stats-by-site PROPERTIES
  PASS_REGULAR_EXPRESSION "lyon +24 +-4\\.8 ± 37\\.0.*1 segment\\(s\\) under the minimum n suppressed")
add_test(NAME cli-stats-by-site-adjusted-wald COMMAND candor_cli stats ${_stats_csv} --nps rec --by site)
set_tests_properties(cli-stats-by-site-adjusted-wald PROPERTIES
  PASS_REGULAR_EXPRESSION "adjusted-Wald.*lyon +24 +-4\\.8 \\(-37\\.3 to 29\\.0\\).*1 segment\\(s\\) under the minimum n suppressed")
add_test(NAME cli-stats-bad-interval COMMAND candor_cli stats ${_stats_csv} --nps rec --interval exact)
set_tests_properties(cli-stats-bad-interval PROPERTIES WILL_FAIL ON)
add_test(NAME cli-stats-unknown-column COMMAND candor_cli stats ${_stats_csv} --nps nope)
set_tests_properties(cli-stats-unknown-column PROPERTIES WILL_FAIL ON)
# The language tour of docs/survey-language.md: every construct, accepted by `candor check`.
add_test(NAME cli_check_language_tour COMMAND candor_cli check ${PROJECT_SOURCE_DIR}/examples/surveys/language-tour.survey)
# candor route check: the sample org and rules pass; a rule notifying front-line staff is refused.
add_test(NAME cli-route-check-sample COMMAND candor_cli route check
  --org ${PROJECT_SOURCE_DIR}/examples/org/hotel-chain.org
  --rules ${PROJECT_SOURCE_DIR}/examples/org/hotel-stay.rules
  --survey ${PROJECT_SOURCE_DIR}/examples/surveys/hotel-stay.survey)
set_tests_properties(cli-route-check-sample PROPERTIES PASS_REGULAR_EXPRESSION "hotel-stay.rules: ok: 4 rules")
add_test(NAME cli-route-check-bypass COMMAND candor_cli route check
  --org ${PROJECT_SOURCE_DIR}/examples/org/hotel-chain.org
  --rules ${PROJECT_SOURCE_DIR}/examples/org/bypass.rules
  --survey ${PROJECT_SOURCE_DIR}/examples/surveys/hotel-stay.survey)
set_tests_properties(cli-route-check-bypass PROPERTIES WILL_FAIL ON)
