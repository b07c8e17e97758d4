--liquibase formatted sql

--changeset switchboard:1
CREATE TABLE sb_template (
    id VARCHAR(64) NOT NULL PRIMARY KEY,
    kind VARCHAR(16) NOT NULL,
    schema_json VARCHAR(1000000) NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE sb_product (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR(200) NOT NULL,
    offer_template VARCHAR(64) NOT NULL REFERENCES sb_template(id),
    access_template VARCHAR(64) NOT NULL REFERENCES sb_template(id),
    agent BOOLEAN NOT NULL,
    usage_rep VARCHAR(16) NOT NULL,
    credential_hash VARCHAR(64) NOT NULL,
    service_endpoint VARCHAR(1000),
    config VARCHAR(1000000) NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE sb_offering (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    product_id VARCHAR(36) NOT NULL REFERENCES sb_product(id),
    name VARCHAR(200) NOT NULL,
    unit_type VARCHAR(8) NOT NULL,
    unit_size BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    setup_price BIGINT NOT NULL,
    min_units BIGINT NOT NULL,
    max_units BIGINT NOT NULL,
    billing_interval BIGINT NOT NULL,
    max_billing_lag BIGINT NOT NULL,
    max_inactive_sec BIGINT NOT NULL,
    max_suspended_sec BIGINT NOT NULL,
    supply INT NOT NULL,
    created BIGINT NOT NULL
);

CREATE TABLE sb_order (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    offering_id VARCHAR(36) NOT NULL REFERENCES sb_offering(id),
    product_id VARCHAR(36) NOT NULL REFERENCES sb_product(id),
    client_key VARCHAR(64) NOT NULL UNIQUE,
    password_hash VARCHAR(200) NOT NULL,
    status VARCHAR(16) NOT NULL,
    prev_status VARCHAR(16),
    status_changed BIGINT NOT NULL,
    status_reason VARCHAR(32),
    change_mark BIGINT NOT NULL DEFAULT 0,
    suspend_cause VARCHAR(32),
    unit_type VARCHAR(8) NOT NULL,
    unit_size BIGINT NOT NULL,
    unit_price BIGINT NOT NULL,
    setup_price BIGINT NOT NULL,
    max_units BIGINT NOT NULL,
    max_billing_lag BIGINT NOT NULL,
    max_inactive_sec BIGINT NOT NULL,
    max_suspended_sec BIGINT NOT NULL,
    deposit BIGINT NOT NULL,
    payments BIGINT NOT NULL,
    bytes_up BIGINT NOT NULL,
    bytes_down BIGINT NOT NULL,
    seconds BIGINT NOT NULL,
    last_usage BIGINT NOT NULL,
    created BIGINT NOT NULL
);
CREATE INDEX sb_order_status ON sb_order(status);
CREATE INDEX sb_order_product ON sb_order(product_id);
CREATE INDEX sb_order_mark ON sb_order(change_mark);

CREATE TABLE sb_session (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    order_id VARCHAR(36) NOT NULL REFERENCES sb_order(id),
    side VARCHAR(8) NOT NULL,
    conn_id VARCHAR(200) NOT NULL,
    client_address VARCHAR(200),
    started BIGINT NOT NULL,
    stopped BIGINT NOT NULL,
    last_report BIGINT NOT NULL,
    bytes_up BIGINT NOT NULL,
    bytes_down BIGINT NOT NULL
);
CREATE INDEX sb_session_order ON sb_session(order_id, side, conn_id);
CREATE INDEX sb_session_conn ON sb_session(conn_id, stopped);

--changeset switchboard:2
--comment: the billing pass takes the changed orders from its UPDATE, so the change mark is unused
DROP INDEX sb_order_mark;
ALTER TABLE sb_order DROP COLUMN change_mark;

--changeset switchboard:3
--comment: an access message imported on a client node is an order without an offering: the agent bills it
ALTER TABLE sb_order ALTER COLUMN offering_id DROP NOT NULL;
ALTER TABLE sb_order ADD COLUMN access_message VARCHAR(1000000);

--changeset switchboard:4
--comment: the changelogs this schema was brought up to date with, so that a start finds it current without a migration run
CREATE TABLE sb_schema_changelog (
    sha256 VARCHAR(64) NOT NULL PRIMARY KEY,
    recorded BIGINT NOT NULL
);
