// Small helpers shared by the protocol unit tests.
#pragma once

#include <gtest/gtest.h>

#include <srs_core_error.hpp>
#include <srs_kernel_buffer.hpp>
#include <srs_protocol_amf0.hpp>

#include <cctype>
#include <memory>
#include <string>

// Bytes from hex text; spaces are ignored, "'x" puts the ASCII character x.
inline std::string srs_utest_hex(const char* s) {
    std::string out;
    while (*s) {
        if (*s == ' ') {
            s++;
            continue;
        }
        if (*s == '\'') {
            out.push_back(s[1]);
            s += 2;
            continue;
        }
        auto nib = [](char c) { return isdigit((unsigned char)c) ? c - '0' : (tolower((unsigned char)c) - 'a' + 10); };
        out.push_back((char)((nib(s[0]) << 4) | nib(s[1])));
        s += 2;
    }
    return out;
}

// Decodes one AMF0 value from bytes; fails the decode when bytes are left over and
// require_all is set.
inline srs_error_t srs_utest_amf0_decode(const std::string& bytes, std::unique_ptr<SrsAmf0Any>* out,
                                         int* consumed = nullptr) {
    std::string copy = bytes;
    SrsBuffer buf(copy.empty() ? nullptr : &copy[0], (int)copy.size());
    srs_error_t err = SrsAmf0Any::read_any(&buf, out);
    if (consumed) {
        *consumed = buf.pos();
    }
    return err;
}

// Encodes one AMF0 value.
inline std::string srs_utest_amf0_encode(const SrsAmf0Any* v) {
    std::string out;
    srs_error_t err = srs_amf0_encode({v}, &out);
    if (err != srs_success) {
        return "ENCODE-ERROR";
    }
    return out;
}

// gtest assertions on srs_error_t, which prints the whole chain on failure.
inline testing::AssertionResult srs_utest_ok(const srs_error_t& err) {
    if (err == srs_success) {
        return testing::AssertionSuccess();
    }
    return testing::AssertionFailure() << srs_error_desc(err);
}
inline testing::AssertionResult srs_utest_fail(const srs_error_t& err) {
    if (err != srs_success) {
        return testing::AssertionSuccess();
    }
    return testing::AssertionFailure() << "expected an error";
}
#define SRS_EXPECT_OK(x) EXPECT_TRUE(srs_utest_ok(x))
#define SRS_ASSERT_OK(x) ASSERT_TRUE(srs_utest_ok(x))
#define SRS_EXPECT_FAIL(x) EXPECT_TRUE(srs_utest_fail(x))
