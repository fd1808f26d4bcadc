#include <gtest/gtest.h>

#include <srs_core_log.hpp>

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <srs_utest_temp_dir.hpp>
#include <sstream>

namespace {

using srs_utest::read_file;
}  // namespace

TEST(CoreLogTest, LevelsParse) {
    EXPECT_EQ(SrsLogLevelVerbose, srs_log_level_parse("verbose"));
    EXPECT_EQ(SrsLogLevelWarn, srs_log_level_parse("warn"));
    EXPECT_EQ(SrsLogLevelTrace, srs_log_level_parse("nonsense"));
    EXPECT_STREQ("error", srs_log_level_name(SrsLogLevelError));
}

TEST(CoreLogTest, FileLinesCarryLevelPidAndContextAndReopenFollowsRotation) {
    char tmpl[] = "/tmp/srs-log-XXXXXX";
    ASSERT_NE(nullptr, mkdtemp(tmpl));
    std::string path = std::string(tmpl) + "/srs.log";

    SrsLogger logger;
    logger.configure(SrsLogLevelTrace, path);
    std::string saved = srs_context_get();
    srs_context_set("ctx12345");
    logger.log(SrsLogLevelTrace, "Trace", "hello %d", 42);
    logger.log(SrsLogLevelInfo, "Debug", "filtered by the caller, not the logger");
    EXPECT_FALSE(logger.enabled(SrsLogLevelInfo));
    EXPECT_TRUE(logger.enabled(SrsLogLevelError));

    std::string text = read_file(path);
    EXPECT_NE(std::string::npos, text.find("[Trace]"));
    EXPECT_NE(std::string::npos, text.find("[" + std::to_string(getpid()) + "][ctx12345] hello 42\n"));

    // logrotate's create mode: the file is moved away, then we reopen.
    ASSERT_EQ(0, rename(path.c_str(), (path + ".1").c_str()));
    logger.reopen();
    logger.log(SrsLogLevelWarn, "Warn", "after rotate");
    EXPECT_NE(std::string::npos, read_file(path).find("after rotate"));
    EXPECT_EQ(std::string::npos, read_file(path + ".1").find("after rotate"));
    srs_context_set(saved);
    unlink((path + ".1").c_str());
    unlink(path.c_str());
    rmdir(tmpl);
}
