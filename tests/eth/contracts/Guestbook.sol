// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// Emits events and reverts with reasons, to check logs and error reporting end to end.
contract Guestbook {
    uint256 public entries;

    event Signed(address indexed guest, uint256 indexed number, string message);

    function sign(string calldata message) external returns (uint256) {
        require(bytes(message).length > 0, "Guestbook: empty message");
        entries += 1;
        emit Signed(msg.sender, entries, message);
        return entries;
    }

    function fail() external pure {
        revert("Guestbook: asked to fail");
    }
}
