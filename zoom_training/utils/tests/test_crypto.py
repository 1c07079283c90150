import pytest
from cryptography.fernet import Fernet

from zoom_training.utils.crypto import (
    InvalidEncryptionKey,
    MissingEncryptionKey,
    SecretBox,
    SecretDecryptError,
    generate_key,
    rotate,
)


def test_round_trip_hides_the_secret():
    box = SecretBox(Fernet.generate_key())
    token = box.encrypt("s3cret-é")
    assert "s3cret" not in token
    assert box.decrypt(token) == "s3cret-é"


def test_from_config_accepts_a_key_as_text():
    box = SecretBox.from_config(generate_key())
    assert box.decrypt(box.encrypt("x")) == "x"


@pytest.mark.parametrize("value", [None, "", "   "])
def test_missing_key_says_where_to_put_one(value):
    with pytest.raises(MissingEncryptionKey) as caught:
        SecretBox.from_config(value)
    assert "Odoo server configuration" in caught.value.plain
    assert "generate_key" in caught.value.plain


@pytest.mark.parametrize("value", ["not-a-key", "é" * 44, Fernet.generate_key().decode()[:-2]])
def test_malformed_key_is_refused_plainly(value):
    with pytest.raises(InvalidEncryptionKey) as caught:
        SecretBox.from_config(value)
    assert "malformed" in caught.value.plain
    assert value not in str(caught.value)


def test_secret_of_another_key_cannot_be_read():
    token = SecretBox(generate_key()).encrypt("secret")
    with pytest.raises(SecretDecryptError) as caught:
        SecretBox(generate_key()).decrypt(token)
    assert isinstance(caught.value, InvalidEncryptionKey)
    assert "encrypted with another key" in caught.value.plain
    assert "restore the previous key or enter the secret again" in str(caught.value)


def test_altered_token_cannot_be_read():
    box = SecretBox(generate_key())
    token = box.encrypt("secret")
    with pytest.raises(SecretDecryptError):
        box.decrypt(token[:-4] + "AAAA")


def test_rotate_moves_a_secret_to_the_new_key():
    old_box, new_box = SecretBox(generate_key()), SecretBox(generate_key())
    rotated = rotate(old_box.encrypt("secret"), old_box, new_box)
    assert new_box.decrypt(rotated) == "secret"
    with pytest.raises(SecretDecryptError):
        old_box.decrypt(rotated)


def test_several_configured_keys_encrypt_with_the_first_and_read_with_all():
    old_key, new_key = generate_key(), generate_key()
    stored = SecretBox(old_key).encrypt("secret")
    box = SecretBox.from_config(f"{new_key}, {old_key}")
    assert box.decrypt(stored) == "secret"
    assert SecretBox(new_key).decrypt(box.encrypt("fresh")) == "fresh"


def test_repr_hides_the_key():
    key = generate_key()
    assert key not in repr(SecretBox(key))
