package org.myelin.clientapi.account;

import static org.springframework.http.HttpMethod.DELETE;
import static org.springframework.http.HttpMethod.GET;
import static org.springframework.http.HttpMethod.POST;
import static org.springframework.http.HttpMethod.PUT;

import org.myelin.clientapi.account.threepid.SubmitTokenHandler;
import org.myelin.clientapi.account.threepid.ThreepidHandler;
import org.myelin.clientapi.account.threepid.ThreepidValidation;
import org.myelin.clientapi.http.ClientRouteTable;
import org.myelin.clientapi.http.RouteContributor;
import org.springframework.stereotype.Component;

/** Routes of accounts, sessions, devices, profiles and the admin registration APIs. */
@Component
public class AccountRoutes implements RouteContributor {

    private static final String V3 = "/_matrix/client/v3";
    private static final String ADMIN = "/_synapse/admin/v1";

    private final RegistrationHandler registration;
    private final LoginHandler login;
    private final AccountHandler account;
    private final DeviceHandler devices;
    private final ProfileHandler profile;
    private final SharedSecretRegistrationHandler sharedSecret;
    private final RegistrationTokenAdminHandler tokenAdmin;
    private final ThreepidHandler threepids;
    private final SubmitTokenHandler submitToken;
    private final OpenIdHandler openId;

    public AccountRoutes(RegistrationHandler registration, LoginHandler login, AccountHandler account,
            DeviceHandler devices, ProfileHandler profile, SharedSecretRegistrationHandler sharedSecret,
            RegistrationTokenAdminHandler tokenAdmin, ThreepidHandler threepids, SubmitTokenHandler submitToken,
            OpenIdHandler openId) {
        this.registration = registration;
        this.login = login;
        this.account = account;
        this.devices = devices;
        this.profile = profile;
        this.sharedSecret = sharedSecret;
        this.tokenAdmin = tokenAdmin;
        this.threepids = threepids;
        this.submitToken = submitToken;
        this.openId = openId;
    }

    @Override
    public void register(ClientRouteTable routes) {
        routes.route(POST, V3 + "/register", registration::register)
                .route(GET, V3 + "/register/available", registration::available)
                .route(GET, "/_matrix/client/v1/register/m.login.registration_token/validity",
                        registration::tokenValidity)
                .route(GET, V3 + "/login", login::loginFlows)
                .route(POST, V3 + "/login", login::login)
                .route(POST, V3 + "/refresh", login::refresh)
                .authed(POST, V3 + "/logout", login::logout)
                .authed(POST, V3 + "/logout/all", login::logoutAll)
                .authed(GET, V3 + "/account/whoami", account::whoami)
                .route(POST, V3 + "/account/password", account::changePassword)
                .authed(POST, V3 + "/account/deactivate", account::deactivate)
                .authed(GET, V3 + "/devices", devices::list)
                .authed(GET, V3 + "/devices/{deviceId}", devices::get)
                .authed(PUT, V3 + "/devices/{deviceId}", devices::rename)
                .authed(DELETE, V3 + "/devices/{deviceId}", devices::delete)
                .authed(POST, V3 + "/delete_devices", devices::deleteMany)
                .route(GET, V3 + "/profile/{userId}", profile::getProfile)
                .route(GET, V3 + "/profile/{userId}/{keyName}", profile::getField)
                .authed(PUT, V3 + "/profile/{userId}/{keyName}", profile::setField)
                .authed(DELETE, V3 + "/profile/{userId}/{keyName}", profile::deleteField)
                .route(GET, ADMIN + "/register", sharedSecret::nonce)
                .route(POST, ADMIN + "/register", sharedSecret::register)
                .authed(GET, ADMIN + "/registration_tokens", tokenAdmin::list)
                .authed(POST, ADMIN + "/registration_tokens/new", tokenAdmin::create)
                .authed(GET, ADMIN + "/registration_tokens/{token}", tokenAdmin::get)
                .authed(PUT, ADMIN + "/registration_tokens/{token}", tokenAdmin::update)
                .authed(DELETE, ADMIN + "/registration_tokens/{token}", tokenAdmin::delete)
                .authed(POST, V3 + "/user/{userId}/openid/request_token", openId::requestToken);
        registerThreepids(routes);
    }

    private void registerThreepids(ClientRouteTable routes) {
        routes.route(POST, V3 + "/register/email/requestToken", threepids::requestRegisterToken)
                .route(POST, V3 + "/account/3pid/email/requestToken", threepids::requestAddToken)
                .route(POST, V3 + "/account/password/email/requestToken", threepids::requestPasswordToken)
                .route(POST, V3 + "/register/msisdn/requestToken", threepids::requestMsisdnToken)
                .route(POST, V3 + "/account/3pid/msisdn/requestToken", threepids::requestMsisdnToken)
                .route(POST, V3 + "/account/password/msisdn/requestToken", threepids::requestMsisdnToken)
                .route(GET, ThreepidValidation.SUBMIT_PATH, submitToken::link)
                .route(POST, ThreepidValidation.SUBMIT_PATH, submitToken::submit)
                .authed(GET, V3 + "/account/3pid", threepids::list)
                .authed(POST, V3 + "/account/3pid", threepids::legacyAdd)
                .authed(POST, V3 + "/account/3pid/add", threepids::add)
                .authed(POST, V3 + "/account/3pid/delete", threepids::delete)
                .authed(POST, V3 + "/account/3pid/bind", threepids::bind)
                .authed(POST, V3 + "/account/3pid/unbind", threepids::unbind);
    }
}
