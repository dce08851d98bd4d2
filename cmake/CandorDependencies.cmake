# Every library Candor links, each from Debian's packages (see setup.sh).
find_package(Boost 1.74 REQUIRED COMPONENTS serialization)
find_package(Eigen3 3.4 REQUIRED NO_MODULE)
find_package(nlohmann_json 3.10 REQUIRED)
# candor::response reads JSON lines with simdjson (Debian ships it shared, with its CMake file).
find_package(simdjson 3.0 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(sodium REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
# candor::pg: head office's store in PostgreSQL (Debian's libpq-dev).
pkg_check_modules(libpq REQUIRED IMPORTED_TARGET libpq>=13)
find_package(Threads REQUIRED)
# HTTPS served directly by the kiosk's and head office's servers (what cpp-httplib links too).
find_package(OpenSSL 1.1.1 REQUIRED)
# Webhook deliveries. Debian ships cpp-httplib compiled, with pkg-config but no CMake package.
pkg_check_modules(httplib REQUIRED IMPORTED_TARGET cpp-httplib)
# candor::receipt: QR codes (the status link, the table cards).
pkg_check_modules(qrencode REQUIRED IMPORTED_TARGET libqrencode)
# Mail to an SMTP relay: libcurl's SMTP (STARTTLS, authentication).
pkg_check_modules(curl REQUIRED IMPORTED_TARGET libcurl)
# candor::interop: .xlsx read with libzip and expat (by pkg-config: Debian's libzip CMake
# file wants the zip tools installed), .sav written with ReadStat (neither CMake nor
# pkg-config file in Debian: found by name), .xlsx written with libxlsxwriter.
pkg_check_modules(libzip REQUIRED IMPORTED_TARGET libzip>=1.7)
pkg_check_modules(expat REQUIRED IMPORTED_TARGET expat>=2.2)
find_path(READSTAT_INCLUDE_DIR readstat.h REQUIRED)
find_library(READSTAT_LIBRARY readstat REQUIRED)
if(NOT TARGET candor_readstat)
  add_library(candor_readstat INTERFACE IMPORTED)
  target_include_directories(candor_readstat INTERFACE ${READSTAT_INCLUDE_DIR})
  target_link_libraries(candor_readstat INTERFACE ${READSTAT_LIBRARY})
endif()
pkg_check_modules(xlsxwriter REQUIRED IMPORTED_TARGET xlsxwriter)
# Time zones for routing: Howard Hinnant's date/tz over the system's tzdata.
find_package(date 3 REQUIRED)
if(CANDOR_EXAMPLES OR CANDOR_TESTS)
  find_package(CLI11 2.1 REQUIRED)
endif()
if(CANDOR_TESTS)
  find_package(doctest 2.4 REQUIRED)
endif()
