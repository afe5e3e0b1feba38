// The Channels page in a real Chromium against a real server: a signed-in user connects through the
// SDK in Node (a real WebSocket, `ws`) and joins a channel; the dashboard lists the channel with its
// counts and the member with their node and join time, refreshes when a second user arrives, shows a
// message the user sends live, and sends one from its console that the Node client receives (as the
// admin, user null). Leaving the page leaves the channel. SQLite only, as dashboard.test.ts explains.
import { afterAll, expect, it } from "vitest";
import WebSocket from "ws";
import { type BackendClient, type ChannelMessage, createClient } from "../../src/sdk/index.js";
import { createUser } from "../../test/harness.js";
import { describeInBrowser, openSection, signIn, useDashboard } from "./browser.js";

const CHANNEL = "chat:lobby";

type Summary = { channel: string; connections: number; users: number };

describeInBrowser("the Channels page in a browser", () => {
  const clients: BackendClient[] = [];
  const received: ChannelMessage[] = [];
  let alice: Awaited<ReturnType<typeof createUser>>;
  let aliceClient: BackendClient;

  /** A user's SDK client in Node, over a real WebSocket. */
  function clientOf(token: string): BackendClient {
    const client = createClient({ url: suite.server.url, token, WebSocket });
    clients.push(client);
    return client;
  }

  const suite = useDashboard(async (server) => {
    alice = await createUser(server, { email: "alice@example.com" });
    aliceClient = clientOf(alice.token);
    await aliceClient.channels.join(CHANNEL, (message) => received.push(message));
  });

  afterAll(() => {
    for (const client of clients) client.realtime.disconnect();
  });

  const summary = async (): Promise<Summary | undefined> => {
    const res = await suite.server.api("GET", "/api/channels", { token: suite.server.adminKey });
    return (res.body as { items: Summary[] }).items.find((c) => c.channel === CHANNEL);
  };

  it("lists the channel with its users and connections", async () => {
    const { page, dash, server } = suite;
    await signIn(page, server.adminKey);
    await openSection(page, "Channels");
    const row = page.locator(`[data-channel="${CHANNEL}"]`);
    await row.waitFor();
    expect(await summary()).toEqual({ channel: CHANNEL, connections: 1, users: 1 });
    expect(await row.getByTestId("channel-users").textContent()).toBe("1");
    expect(await row.getByTestId("channel-connections").textContent()).toBe("1");
    await dash.screenshot("channels-01-list");
    dash.expectNoErrors();
  });

  it("opens the channel: the member with their node and join time, and the console goes live", async () => {
    const { page, dash, server } = suite;
    await page.getByRole("link", { name: CHANNEL, exact: true }).click();
    await page.getByRole("heading", { name: CHANNEL, level: 2 }).waitFor();
    expect(new URL(page.url()).hash).toBe(`#/channels/${encodeURIComponent(CHANNEL)}`);
    const member = page.locator('[data-member="alice@example.com"]');
    await member.waitFor();
    const text = (await member.textContent()) ?? "";
    expect(text).toContain(alice.user.id);
    expect(text).toContain(server.platform.realtime.nodeId);
    const members = await server.api("GET", `/api/channels/${encodeURIComponent(CHANNEL)}/members`, {
      token: server.adminKey,
    });
    expect(members.body).toMatchObject({ items: [{ id: alice.user.id, connections: 1 }] });
    // The console listens over the session's own socket: one more connection, no more users.
    await page.getByTestId("live-status").filter({ hasText: "live" }).waitFor();
    await expect.poll(summary).toEqual({ channel: CHANNEL, connections: 2, users: 1 });
    await dash.screenshot("channels-02-channel");
    dash.expectNoErrors();
  });

  it("refreshes the members when someone else joins", async () => {
    const { page, dash } = suite;
    const bob = await createUser(suite.server, { email: "bob@example.com" });
    await clientOf(bob.token).channels.join(CHANNEL, () => {});
    // No reload: the members list polls.
    await page.locator('[data-member="bob@example.com"]').waitFor();
    expect(await page.locator("[data-member]").count()).toBe(2);
    dash.expectNoErrors();
  });

  it("shows a message a member sends, live", async () => {
    const { page, dash } = suite;
    const { id } = await aliceClient.channels.send(CHANNEL, { text: "hi from node" });
    const entry = page.locator(`[data-message-id="${id}"]`);
    await entry.waitFor();
    expect(await entry.textContent()).toContain("alice@example.com");
    expect(await entry.textContent()).toContain('"text": "hi from node"');
    dash.expectNoErrors();
  });

  it("sends a JSON message from the console, and the Node client receives it from the admin", async () => {
    const { page, dash } = suite;
    const form = page.getByRole("form", { name: "Send a message" });
    await form.getByLabel("Message (JSON)").fill('{"text":"hello from the dashboard","n":7}');
    await form.getByRole("button", { name: "Send" }).click();
    await expect
      .poll(() => received.find((m) => (m.message as { n?: number }).n === 7))
      .toMatchObject({ channel: CHANNEL, user: null, message: { text: "hello from the dashboard", n: 7 } });
    const sent = received.find((m) => (m.message as { n?: number }).n === 7)!;
    const entry = page.locator(`[data-message-id="${sent.id}"]`);
    await entry.waitFor();
    expect(await entry.textContent()).toContain("sent from here");
    expect(await entry.textContent()).toContain("admin / server");
    // Its echo over the socket is the same entry, not a second one.
    await expect.poll(() => entry.textContent()).not.toContain("not echoed yet");
    expect(await page.locator(`[data-message-id="${sent.id}"]`).count()).toBe(1);
    await dash.screenshot("channels-03-sent");
    dash.expectNoErrors();
  });

  it("asks for chan_in only when the box is ticked", async () => {
    const { page, dash } = suite;
    const form = page.getByRole("form", { name: "Send a message" });
    await form.getByLabel("Message (JSON)").fill('{"with":"event"}');
    await form.getByLabel(/Also fire chan_in/).check();
    const [request] = await Promise.all([
      page.waitForRequest((r) => r.method() === "POST" && r.url().endsWith("/messages")),
      form.getByRole("button", { name: "Send" }).click(),
    ]);
    expect(request.postDataJSON()).toEqual({ message: { with: "event" }, event: true });
    await expect.poll(() => received.at(-1)?.message).toEqual({ with: "event" });
    await form.getByLabel(/Also fire chan_in/).uncheck();
    dash.expectNoErrors();
  });

  it("refuses a message that is not JSON, and sends nothing", async () => {
    const { page, dash } = suite;
    const before = received.length;
    const form = page.getByRole("form", { name: "Send a message" });
    await form.getByLabel("Message (JSON)").fill("{oops");
    await form.getByRole("button", { name: "Send" }).click();
    await form.getByRole("alert").filter({ hasText: "The message is not valid JSON" }).waitFor();
    // A message that does go out afterwards arrives right after the last one: nothing in between.
    await form.getByLabel("Message (JSON)").fill('"plain"');
    await form.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => received.length).toBe(before + 1);
    expect(received.at(-1)?.message).toBe("plain");
    expect(await form.getByRole("alert").count()).toBe(0);
    dash.expectNoErrors();
  });

  it("reads at phone width", async () => {
    const { page, dash } = suite;
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      await page.getByRole("heading", { name: "Message console" }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await dash.screenshot("channels-04-phone");
    } finally {
      await page.setViewportSize({ width: 1280, height: 800 });
    }
    dash.expectNoErrors();
  });

  it("leaves the channel when the page is left", async () => {
    const { page, dash } = suite;
    await page.getByRole("link", { name: "Channels", exact: true }).first().click();
    await page.locator(`[data-channel="${CHANNEL}"]`).waitFor();
    // Alice and Bob stay; the console's socket has left.
    await expect.poll(summary).toEqual({ channel: CHANNEL, connections: 2, users: 2 });
    await expect
      .poll(() =>
        page.locator(`[data-channel="${CHANNEL}"]`).getByTestId("channel-connections").textContent(),
      )
      .toBe("2");
    dash.expectNoErrors();
  });

  it("a bad channel name shows the API's message, for the members and for listening", async () => {
    const { page, dash, server } = suite;
    dash.allowConsoleError(/status of 400/);
    const bad = "no spaces allowed";
    const answer = await server.api("GET", `/api/channels/${encodeURIComponent(bad)}/members`, {
      token: server.adminKey,
    });
    expect(answer.status).toBe(400);
    const message = (answer.body as { error: { message: string } }).error.message;
    const form = page.getByRole("form", { name: "Open a channel" });
    await form.getByLabel("Channel name").fill(bad);
    await form.getByRole("button", { name: "Open" }).click();
    // Once for the members, once for listening over the socket.
    await expect.poll(() => page.getByRole("alert").filter({ hasText: message }).count()).toBe(2);
    await page.getByRole("alert").filter({ hasText: "Could not listen to this channel" }).waitFor();
    expect(await page.getByTestId("live-status").textContent()).toBe("not listening");
    await dash.screenshot("channels-05-bad-name");
    dash.expectNoErrors();
  });

  it("shows no channel once everyone has left", async () => {
    const { page, dash } = suite;
    for (const client of clients) client.realtime.disconnect();
    await page
      .getByRole("navigation", { name: "Breadcrumbs" })
      .getByRole("link", { name: "Channels" })
      .click();
    await page.getByText("No channel has members right now").waitFor();
    expect(await summary()).toBeUndefined();
    await dash.screenshot("channels-06-empty");
    dash.expectNoErrors();
  });
});
