// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ZeroG storage from the EVM
/// @notice The storage pallet (`pallet-storage-commitments`) as a precompile at
/// `0x0000000000000000000000000000000008000000`. A call acts as its caller: an externally
/// owned account pays from its own balance, a contract from the contract's. Amounts are in the
/// chain's native unit (plancks of ZG), not in wei. The precompile is not payable: a call with
/// value reverts. State-changing functions revert in `staticcall` and `delegatecall`.
/// @dev A pallet error reverts with `Error(string)` whose reason is the error's name, for
/// example `"FileTooLarge"` or `"InsufficientBalance"` (pallet-revive 0.20.2 cannot return
/// custom Solidity errors from a precompile). `"StateChangeDenied"`, `"PrecompileDelegateDenied"`
/// and `"NotPayable"` come from the precompile itself.
interface IZeroGStorage {
    /// @notice A file in the storage log.
    struct FileInfo {
        /// The file's merkle root (`zerog_primitives::storage::file_root`).
        bytes32 root;
        /// Its size in bytes.
        uint64 size;
        /// The account that submitted it (a 32-byte account id).
        bytes32 owner;
        /// The first block at which it is no longer stored.
        uint32 expiresAt;
        /// How many providers are to hold it.
        uint8 replicas;
        /// Fees not yet paid out to its providers.
        uint256 rewardRemaining;
    }

    /// @notice A file was committed and its fee paid.
    event FileSubmitted(uint64 indexed fileId, bytes32 indexed root, address indexed payer, uint64 size, uint256 fee);

    /// @notice A live file got one more lifetime.
    event FileRenewed(uint64 indexed fileId, address indexed payer, uint256 fee, uint32 expiresAt);

    /// @notice Commits the file `(root, size)` and pays its fee, `replicas` times the price of
    /// its chunks; a live file with the same commitment is renewed instead.
    /// @return fileId The file's id (the existing one on renewal).
    function submit(bytes32 root, uint64 size, uint8 replicas) external returns (uint64 fileId);

    /// @notice Pays for one more lifetime of a live file.
    function renew(uint64 fileId) external;

    /// @notice The fee `submit` charges for `size` bytes held by `replicas` providers.
    function fee(uint64 size, uint8 replicas) external view returns (uint256);

    /// @notice The file with id `fileId`; reverts with `"FileNotFound"` if there is none.
    function fileInfo(uint64 fileId) external view returns (FileInfo memory);

    /// @notice The live file committed as `(root, size)`, if any.
    function fileByCommitment(bytes32 root, uint64 size) external view returns (bool found, uint64 fileId);

    /// @notice Whether the file is stored now: logged and not expired.
    function isLive(uint64 fileId) external view returns (bool);
}
