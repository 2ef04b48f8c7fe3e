// The content repository as a client uses it: upload an image, make it the avatar, send it as m.image with a
// thumbnail, and download all of it (and a thumbnail the server makes) as another user, over the authenticated
// /_matrix/client/v1/media endpoints. Every response is checked against the spec.

import assert from "node:assert/strict";
import { useHomeserver } from "../lib/harness.mjs";
import { png, pngSize } from "../lib/png.mjs";

const hs = useHomeserver();

async function download(ctx, url, accessToken) {
    const res = await ctx.fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } });
    assert.equal(res.status, 200, `GET ${url}`);
    return { headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
}

hs.scenario("upload an image, use it as avatar and in m.image, download it as another user", async (ctx) => {
    const alice = await ctx.registerUser("media_alice");
    const bob = await ctx.registerUser("media_bob");

    const config = await ctx.request("GET", "/_matrix/client/v1/media/config", { accessToken: alice.response.access_token });
    assert.equal(config.status, 200);
    assert.ok(config.body["m.upload.size"] > 1024 * 1024, JSON.stringify(config.body));

    const image = png(400, 300);
    const thumbnail = png(80, 60);
    const { content_uri: imageUri } = await alice.client.uploadContent(image, { name: "gradient.png", type: "image/png" });
    const { content_uri: thumbUri } = await alice.client.uploadContent(thumbnail, { name: "thumb.png", type: "image/png" });
    assert.match(imageUri, new RegExp(`^mxc://${hs.serverName.replace(/[.:]/g, "\\$&")}/[A-Za-z0-9_-]+$`));

    await alice.client.setAvatarUrl(imageUri);
    const room = await alice.client.createRoom({ preset: "public_chat" });
    await bob.client.joinRoom(room.room_id);
    const sent = await alice.client.sendMessage(room.room_id, {
        msgtype: "m.image",
        body: "gradient.png",
        url: imageUri,
        info: {
            mimetype: "image/png",
            size: image.length,
            w: 400,
            h: 300,
            thumbnail_url: thumbUri,
            thumbnail_info: { mimetype: "image/png", size: thumbnail.length, w: 80, h: 60 },
        },
    });

    const event = await bob.client.fetchRoomEvent(room.room_id, sent.event_id);
    assert.equal(event.content.url, imageUri);
    const profile = await bob.client.getProfileInfo(alice.userId);
    assert.equal(profile.avatar_url, imageUri);

    const token = bob.response.access_token;
    const original = await download(ctx, bob.client.mxcUrlToHttp(event.content.url, undefined, undefined, undefined, false, true, true), token);
    assert.deepEqual(original.bytes, image);
    assert.equal(original.headers.get("content-type"), "image/png");
    assert.equal(original.headers.get("content-disposition"), 'inline; filename="gradient.png"');
    assert.match(original.headers.get("content-security-policy"), /^sandbox; default-src 'none'; script-src 'none';/);
    assert.equal(original.headers.get("x-content-type-options"), "nosniff");

    const theirs = await download(ctx, bob.client.mxcUrlToHttp(event.content.info.thumbnail_url, undefined, undefined, undefined, false, true, true), token);
    assert.deepEqual(theirs.bytes, thumbnail);

    const made = await download(ctx, bob.client.mxcUrlToHttp(imageUri, 96, 96, "crop", false, true, true), token);
    assert.equal(made.headers.get("content-type"), "image/png");
    assert.deepEqual(pngSize(made.bytes), { width: 96, height: 96 });
    const scaled = await download(ctx, bob.client.mxcUrlToHttp(imageUri, 320, 240, "scale", false, true, true), token);
    assert.deepEqual(pngSize(scaled.bytes), { width: 320, height: 240 });
});

hs.scenario("an uploaded HTML page is an attachment in a sandbox, and unknown media is 404", async (ctx) => {
    const alice = await ctx.registerUser("media_html");
    const page = Buffer.from("<html><body><script>document.title='pwned'</script></body></html>");
    const { content_uri } = await alice.client.uploadContent(page, { name: "page.html", type: "text/html" });
    const got = await download(ctx, alice.client.mxcUrlToHttp(content_uri, undefined, undefined, undefined, false, true, true), alice.response.access_token);
    assert.equal(got.headers.get("content-disposition"), 'attachment; filename="page.html"');
    assert.match(got.headers.get("content-security-policy"), /sandbox/);
    assert.equal(got.headers.get("x-content-type-options"), "nosniff");

    const missing = await ctx.request("GET", `/_matrix/client/v1/media/download/${hs.serverName}/noSuchMedia`, {
        accessToken: alice.response.access_token,
    });
    assert.equal(missing.status, 404);
    assert.equal(missing.body.errcode, "M_NOT_FOUND");
    const anonymous = await ctx.request("GET", `/_matrix/client/v1/media/download/${content_uri.slice(6)}`);
    assert.equal(anonymous.status, 401);
    assert.equal(anonymous.body.errcode, "M_MISSING_TOKEN");
});
