// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

import {IZeroGStorage} from "../IZeroGStorage.sol";
import {IZeroGDA} from "../IZeroGDA.sol";

/// @title A rollup's batch inbox on ZeroG
/// @notice Accepts a batch only once its data is certified on ZeroG DA, and pays, from the
/// contract's own balance, to archive the batch in ZeroG storage. Fund it by sending it ZG.
contract BatchInbox {
    IZeroGStorage public constant STORAGE = IZeroGStorage(0x0000000000000000000000000000000008000000);
    IZeroGDA public constant DA = IZeroGDA(0x0000000000000000000000000000000008010000);

    /// @notice The archive file of each accepted batch, by the root of its DA blob.
    mapping(bytes32 => uint64) public archiveOf;
    /// @notice Whether the batch with this blob root was accepted.
    mapping(bytes32 => bool) public accepted;

    event BatchAccepted(bytes32 indexed blobRoot, uint64 indexed archiveFileId);

    /// @notice The blob is not certified (or no longer retained): its data may be unavailable.
    error BlobNotCertified(bytes32 blobRoot);
    /// @notice The batch was accepted before.
    error AlreadyAccepted(bytes32 blobRoot);

    /// @notice Accepts the batch whose data is the DA blob `blobRoot`, archived as the file
    /// `(archiveRoot, archiveSize)`, one replica, paid by this contract.
    function acceptBatch(bytes32 blobRoot, bytes32 archiveRoot, uint64 archiveSize)
        external
        returns (uint64 archiveFileId)
    {
        if (accepted[blobRoot]) revert AlreadyAccepted(blobRoot);
        if (!DA.isCertified(blobRoot)) revert BlobNotCertified(blobRoot);
        archiveFileId = STORAGE.submit(archiveRoot, archiveSize, 1);
        accepted[blobRoot] = true;
        archiveOf[blobRoot] = archiveFileId;
        emit BatchAccepted(blobRoot, archiveFileId);
    }

    /// @notice Funds the archive fees.
    receive() external payable {}
}
