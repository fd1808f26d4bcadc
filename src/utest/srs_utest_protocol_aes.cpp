// AES-128-CBC for HLS segments: the NIST SP 800-38A vectors, PKCS#7 padding (what OpenSSL's
// decryption, as players do it, accepts), streaming equal to one shot, and the IV of a sequence.
#include <gtest/gtest.h>

#include <srs_protocol_aes.hpp>
#include <srs_utest_aes.hpp>
#include <srs_utest_protocol_helper.hpp>

#include <algorithm>

namespace {

using srs_utest::aes128_cbc_decrypt;

std::string unhex(const std::string& hex) {
    std::string out;
    for (size_t i = 0; i + 1 < hex.size(); i += 2) {
        out.push_back((char)std::stoi(hex.substr(i, 2), nullptr, 16));
    }
    return out;
}

const std::string kKey = unhex("2b7e151628aed2a6abf7158809cf4f3c");
const std::string kIv = unhex("000102030405060708090a0b0c0d0e0f");

}  // namespace

TEST(ProtocolAesTest, NistCbcVectorsThenAPaddingBlock) {
    // SP 800-38A F.2.1, CBC-AES128.Encrypt, the first two blocks.
    std::string plain = unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
    std::string sealed;
    SRS_ASSERT_OK(srs_aes128_cbc_encrypt(kKey, kIv, plain, &sealed));
    ASSERT_EQ(48u, sealed.size());
    EXPECT_EQ(unhex("7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"), sealed.substr(0, 32));
    // Whole blocks still get a block of padding (PKCS#7), which the decryption removes.
    std::string back;
    ASSERT_TRUE(aes128_cbc_decrypt(kKey, kIv, sealed, &back));
    EXPECT_EQ(plain, back);

    // Any length pads up to the next block; empty input is one block of padding.
    for (size_t len : {0, 1, 15, 16, 17, 188, 1880}) {
        std::string p(len, 'x');
        SRS_ASSERT_OK(srs_aes128_cbc_encrypt(kKey, kIv, p, &sealed));
        EXPECT_EQ((len / 16 + 1) * 16, sealed.size()) << len;
        ASSERT_TRUE(aes128_cbc_decrypt(kKey, kIv, sealed, &back)) << len;
        EXPECT_EQ(p, back) << len;
    }
}

TEST(ProtocolAesTest, StreamingEqualsOneShot) {
    std::string plain;
    for (int i = 0; i < 5000; i++) {
        plain.push_back((char)(i * 7));
    }
    std::string whole;
    SRS_ASSERT_OK(srs_aes128_cbc_encrypt(kKey, kIv, plain, &whole));
    // Pieces of every size, as TS packets and their headers come.
    SrsAes128CbcEncryptor aes;
    SRS_ASSERT_OK(aes.init(kKey, kIv));
    std::string sealed;
    size_t at = 0;
    for (size_t n = 1; at < plain.size(); n = n % 37 + 1) {
        size_t take = std::min(n, plain.size() - at);
        SRS_ASSERT_OK(aes.update(plain.data() + at, take, &sealed));
        at += take;
        // Only whole blocks come out before the end.
        EXPECT_EQ(0u, sealed.size() % 16);
    }
    SRS_ASSERT_OK(aes.finish(&sealed));
    EXPECT_EQ(whole, sealed);

    // init starts over: the same input gives the same output again.
    SRS_ASSERT_OK(aes.init(kKey, kIv));
    std::string again;
    SRS_ASSERT_OK(aes.update(plain.data(), plain.size(), &again));
    SRS_ASSERT_OK(aes.finish(&again));
    EXPECT_EQ(whole, again);
}

TEST(ProtocolAesTest, BadKeysAndUseBeforeInitFail) {
    SrsAes128CbcEncryptor aes;
    std::string out;
    EXPECT_EQ(ERROR_OpenSslCipher, srs_error_code(aes.update("x", 1, &out)));
    EXPECT_EQ(ERROR_OpenSslCipher, srs_error_code(aes.finish(&out)));
    EXPECT_EQ(ERROR_OpenSslCipher, srs_error_code(aes.init(kKey.substr(0, 15), kIv)));
    EXPECT_EQ(ERROR_OpenSslCipher, srs_error_code(aes.init(kKey, kIv + "x")));
    EXPECT_TRUE(out.empty());
}

TEST(ProtocolAesTest, RandomKeysAndSequenceIvs) {
    std::string a, b;
    SRS_ASSERT_OK(srs_aes_random(&a, SRS_AES128_BYTES));
    SRS_ASSERT_OK(srs_aes_random(&b, SRS_AES128_BYTES));
    EXPECT_EQ(16u, a.size());
    EXPECT_NE(a, b);
    // RFC 8216 5.2: the media sequence number, a big-endian 128-bit integer.
    EXPECT_EQ(std::string(16, '\0'), srs_aes_iv_of_sequence(0));
    EXPECT_EQ(std::string(14, '\0') + "\x01\x02", srs_aes_iv_of_sequence(0x0102));
    EXPECT_EQ(std::string(8, '\0') + unhex("0000000100000000"), srs_aes_iv_of_sequence(0x100000000LL));
}
