#include <doctest/doctest.h>
#include <sys/stat.h>

#include "candor/seal/box.hpp"
#include "candor/seal/receipt.hpp"
#include "candor/seal/sign.hpp"
#include "fixture.hpp"

using namespace candor;
using namespace candor::journal::testing;

TEST_CASE("a sealed box opens with head office's key only") {
    auto hq = seal::make_hq_keys();
    auto other = seal::make_hq_keys();
    auto box = seal::seal_to(hq.public_part(), seal::as_bytes("the breakfast was cold"));
    CHECK(box.size() == 22 + seal::seal_overhead);
    auto opened = seal::open_sealed(hq, box);
    REQUIRE(opened);
    CHECK(seal::as_chars(*opened) == "the breakfast was cold");
    CHECK_FALSE(seal::open_sealed(other, box));
    box[5] ^= 1;
    CHECK_FALSE(seal::open_sealed(hq, box));
}

TEST_CASE("signatures verify with the device's key only") {
    auto a = seal::make_device_keys("kiosk-a");
    auto b = seal::make_device_keys("kiosk-b");
    auto sig = seal::sign(a, seal::as_bytes("card"));
    CHECK(seal::verify(a.pub, seal::as_bytes("card"), sig));
    CHECK_FALSE(seal::verify(b.pub, seal::as_bytes("card"), sig));
    CHECK_FALSE(seal::verify(a.pub, seal::as_bytes("cart"), sig));
}

TEST_CASE("receipt codes are six base32 digits and forgive typing") {
    seal::digest d{};
    d[0] = 0xAB;
    d[1] = 0xCD;
    d[2] = 0xEF;
    d[3] = 0x12;
    auto code = seal::receipt_code(d);
    CHECK(code.size() == 7);
    CHECK(code[3] == '-');
    CHECK(seal::normalize_receipt(code) == code);
    std::string typed = code;
    for (auto& c : typed) c = static_cast<char>(std::tolower(c));
    typed.erase(3, 1);
    CHECK(seal::normalize_receipt(typed) == code);
    CHECK(seal::normalize_receipt("ol1-I00") == "011-100");
    CHECK_FALSE(seal::normalize_receipt("7KQ-4M"));
    CHECK_FALSE(seal::normalize_receipt("7KQ-4MU"));
}

TEST_CASE("key files round-trip, secret ones 0600 and never overwritten") {
    temp_dir dir;
    auto hq = seal::make_hq_keys();
    auto dev = seal::make_device_keys("kiosk-3");
    REQUIRE(seal::write_hq_keys(dir.path(), hq));
    REQUIRE(seal::write_device_keys(dir.path(), dev));
    CHECK_FALSE(seal::write_hq_keys(dir.path(), seal::make_hq_keys()));

    struct stat st {};
    REQUIRE(::stat((dir / "hq.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
    REQUIRE(::stat((dir / "kiosk-3.key").c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);

    auto hq_read = seal::read_hq_secret(dir / "hq.key");
    REQUIRE(hq_read);
    CHECK(hq_read->pub == hq.pub);
    CHECK(seal::read_hq_public(dir / "hq.pub")->key == hq.pub);
    auto dev_read = seal::read_device_secret(dir / "kiosk-3.key");
    REQUIRE(dev_read);
    CHECK(dev_read->id == "kiosk-3");
    CHECK(dev_read->pub == dev.pub);

    fs::permissions(dir / "hq.key", fs::perms::group_read, fs::perm_options::add);
    auto refused = seal::read_hq_secret(dir / "hq.key");
    REQUIRE_FALSE(refused);
    CHECK(render(refused.error()).find("chmod 600") != std::string::npos);
    CHECK(refused.error().front().code == "key-permissions");
    CHECK(render(refused.error()).find(seal::to_hex(std::span(hq.key.data(), 32))) ==
          std::string::npos);
}

TEST_CASE("device lists name every bad line") {
    auto dev = seal::make_device_keys("kiosk-3");
    auto line = seal::format_device_public(dev.public_part());
    auto ok = seal::parse_device_list("# head office\n" + line + "\n\nrevoked kiosk-9 " +
                                          seal::to_hex(dev.pub) + "\n",
                                      "devices");
    REQUIRE(ok);
    REQUIRE(ok->devices.size() == 2);
    CHECK(ok->find("kiosk-9")->revoked);
    CHECK_FALSE(ok->find("kiosk-3")->revoked);

    auto bad = seal::parse_device_list(line + "\n" + line + "\ndevice x/y 00\n", "devices");
    REQUIRE_FALSE(bad);
    REQUIRE(bad.error().size() == 2);
    CHECK(render(bad.error()[0]).find("devices:2: error: device `kiosk-3` listed twice") == 0);
    CHECK(render(bad.error()[1]).find("devices:3: error: invalid device id") == 0);
}
