#include <gtest/gtest.h>

#include <srs_app_config.hpp>
#include <srs_app_reload.hpp>

namespace {

std::shared_ptr<SrsConfig> load(const std::string& text) {
    std::shared_ptr<SrsConfig> c;
    srs_error_t err = SrsConfig::load_string(text, &c);
    EXPECT_FALSE(err) << srs_error_desc(err);
    return c;
}

}  // namespace

TEST(AppReloadTest, ContextListsVhostChangesAndRecordsApplied) {
    auto a = load("listen 1935; vhost a { play { gop_cache on; } } vhost b { }");
    auto b = load("listen 1935 1936; vhost a { play { gop_cache off; } } vhost c { }");
    SrsReloadContext ctx(a, b);
    EXPECT_TRUE(ctx.changed("listen"));
    EXPECT_TRUE(ctx.changed("vhost:a"));
    EXPECT_TRUE(ctx.changed("vhost:a:play"));
    EXPECT_FALSE(ctx.changed("http_api"));
    // The same per section, by key.
    EXPECT_TRUE(ctx.changed(srs_key::listen));
    EXPECT_TRUE(ctx.vhost_changed("a", srs_key::vhost_play));
    EXPECT_TRUE(ctx.vhost_changed("a", srs_key::vhost_play_gop_cache));
    EXPECT_FALSE(ctx.vhost_changed("a", srs_key::vhost_play_atc));
    EXPECT_FALSE(ctx.vhost_changed("a", srs_key::vhost_hls));
    EXPECT_FALSE(ctx.changed(srs_key::http_api));
    // An added or removed vhost is whole: it has no changed sections.
    EXPECT_FALSE(ctx.vhost_changed("c", srs_key::vhost_play));
    EXPECT_FALSE(ctx.vhost_changed("b", srs_key::vhost_play));
    EXPECT_EQ(std::vector<std::string>({"c"}), ctx.vhosts_added());
    EXPECT_EQ(std::vector<std::string>({"b"}), ctx.vhosts_removed());
    EXPECT_EQ(std::vector<std::string>({"a"}), ctx.vhosts_changed());
    ctx.applied("listen");
    EXPECT_EQ(std::vector<std::string>({"listen"}), ctx.applied_list());
}

TEST(AppReloadTest, SameConfigHasNoChange) {
    auto a = load("listen 1935; vhost a { }");
    auto b = load("listen 1935; vhost a { }");
    SrsReloadContext ctx(a, b);
    EXPECT_TRUE(ctx.changes().empty());
    EXPECT_TRUE(ctx.vhosts_added().empty());
    EXPECT_TRUE(ctx.vhosts_removed().empty());
}
