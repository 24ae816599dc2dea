package com.example.springapi;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** The endpoints the cluster relies on, run by `mvn -B package` in CI. */
@SpringBootTest(properties = {
    "ADMIN_PASSWORD=" + SpringApiApplicationTests.PASSWORD,
    "INSTANCE_ID=i-0123456789abcdef0",
    "AVAILABILITY_ZONE=us-east-1a"
})
@AutoConfigureMockMvc
class SpringApiApplicationTests {

    static final String PASSWORD = "example-test-password";

    @Autowired
    private MockMvc mvc;

    private static String basic(String username, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void answersHealthOnBothPathsWithoutCredentials() throws Exception {
        mvc.perform(get("/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
    }

    @Test
    void guardsTheInstanceEndpointWithTheAdminCredentials() throws Exception {
        mvc.perform(get("/api/instance")).andExpect(status().isUnauthorized());
        mvc.perform(get("/api/instance").header("Authorization", basic("admin@fake.com", "wrong-password")))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/instance").header("Authorization", basic("admin@fake.com", PASSWORD)))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.instanceId").value("i-0123456789abcdef0"))
                .andExpect(jsonPath("$.availabilityZone").value("us-east-1a"));
    }

    @Test
    void countsPerSession() throws Exception {
        MockHttpSession session = new MockHttpSession();
        mvc.perform(get("/api/session/counter").session(session)).andExpect(jsonPath("$.count").value(1));
        mvc.perform(get("/api/session/counter").session(session)).andExpect(jsonPath("$.count").value(2));
        mvc.perform(get("/api/session/counter")).andExpect(jsonPath("$.count").value(1));
    }

    @Test
    void refusesEverythingElse() throws Exception {
        mvc.perform(get("/actuator/env").header("Authorization", basic("admin@fake.com", PASSWORD))).andExpect(status().isForbidden());
    }
}
