#include <gtest/gtest.h>

#include <srs_core_error.hpp>

namespace {

srs_error_t fail_root() {
    return srs_error_new(ERROR_SOCKET_TIMEOUT, "read %d bytes", 4);
}

srs_error_t fail_wrapped() {
    srs_error_t err = fail_root();
    if (err) {
        return srs_error_wrap(err, "while reading chunk %d", 3);
    }
    return srs_success;
}

}  // namespace

TEST(CoreErrorTest, SuccessIsEmpty) {
    srs_error_t err = srs_success;
    EXPECT_FALSE(err);
    EXPECT_EQ(ERROR_SUCCESS, srs_error_code(err));
    EXPECT_EQ("", srs_error_desc(err));
}

TEST(CoreErrorTest, WrapKeepsRootCodeAndChain) {
    srs_error_t err = fail_wrapped();
    ASSERT_TRUE(err);
    EXPECT_EQ(ERROR_SOCKET_TIMEOUT, srs_error_code(err));
    std::string desc = srs_error_desc(err);
    EXPECT_NE(std::string::npos, desc.find("while reading chunk 3"));
    EXPECT_NE(std::string::npos, desc.find("read 4 bytes"));
    EXPECT_NE(std::string::npos, desc.find("ERROR_SOCKET_TIMEOUT"));
    EXPECT_NE(std::string::npos, desc.find("srs_utest_core_error.cpp"));
    EXPECT_EQ("while reading chunk 3 : read 4 bytes (code=1011 ERROR_SOCKET_TIMEOUT)", srs_error_summary(err));
}

TEST(CoreErrorTest, CopyIsDeep) {
    srs_error_t err = fail_wrapped();
    srs_error_t c = err.copy();
    err.reset();
    ASSERT_TRUE(c);
    EXPECT_EQ(ERROR_SOCKET_TIMEOUT, srs_error_code(c));
    ASSERT_NE(nullptr, c->cause());
}

TEST(CoreErrorTest, GracefulCloseClassification) {
    srs_error_t a = srs_error_new(ERROR_SOCKET_READ, "eof");
    srs_error_t b = srs_error_new(ERROR_THREAD_INTERRUPED, "quit");
    srs_error_t c = srs_error_new(ERROR_RTMP_AMF0_DECODE, "bad");
    EXPECT_TRUE(srs_is_client_gracefully_close(a));
    EXPECT_TRUE(srs_is_server_gracefully_close(b));
    EXPECT_FALSE(srs_is_client_gracefully_close(c));
    EXPECT_FALSE(srs_is_server_gracefully_close(c));
}

TEST(CoreErrorTest, CodeNames) {
    EXPECT_STREQ("ERROR_RTMP_STREAM_NOT_FOUND", srs_error_code_name(2048));
    EXPECT_STREQ("ERROR_RTMP_CLIENT_NOT_FOUND", srs_error_code_name(2049));
    EXPECT_STREQ("Unknown", srs_error_code_name(-7));
}
