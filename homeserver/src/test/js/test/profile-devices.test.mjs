// Profile fields (displayname, avatar_url) and device management.

import assert from "node:assert/strict";
import { useHomeserver } from "../lib/harness.mjs";

const hs = useHomeserver();

hs.scenario("set and read displayname and avatar_url", async (ctx) => {
    const { client, userId } = await ctx.registerUser("profile");
    const avatar = `mxc://${hs.serverName}/interopAvatar0123`;

    assert.deepEqual(await client.setDisplayName("Interop Tester"), {});
    assert.deepEqual(await client.getProfileInfo(userId, "displayname"), { displayname: "Interop Tester" });

    assert.deepEqual(await client.setAvatarUrl(avatar), {});
    assert.deepEqual(await client.getProfileInfo(userId, "avatar_url"), { avatar_url: avatar });

    const profile = await client.getProfileInfo(userId);
    assert.equal(profile.displayname, "Interop Tester");
    assert.equal(profile.avatar_url, avatar);
});

hs.scenario("list devices and rename one", async (ctx) => {
    const { client, response } = await ctx.registerUser("devices", {
        initial_device_display_name: "interop initial name",
    });
    const deviceId = response.device_id;

    const { devices } = await client.getDevices();
    const mine = devices.find((d) => d.device_id === deviceId);
    assert.ok(mine, `GET /devices lists the registration device ${deviceId}: ${JSON.stringify(devices)}`);
    assert.equal(mine.display_name, "interop initial name");

    assert.deepEqual(await client.setDeviceDetails(deviceId, { display_name: "interop renamed" }), {});
    assert.equal((await client.getDevice(deviceId)).display_name, "interop renamed");
    const after = (await client.getDevices()).devices.find((d) => d.device_id === deviceId);
    assert.equal(after?.display_name, "interop renamed");
});
